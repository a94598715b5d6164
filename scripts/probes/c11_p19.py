import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
import os
os.environ['CHECK_LINES']='1'
T = ["{% for x in [1] %}{% set loop = 5 %}{% endfor %}",
     "{% for x in [1] %}{% for y in [2] %}\n{% set loop = 5 %}{% endfor %}{% endfor %}",
     "{% for x in [1] %}{% macro m() %}\n\n{% set loop = 1 %}{% endmacro %}{% endfor %}",
     "{% for x in [1] %}{% with loop = 1 %}{{ loop }}{% endwith %}{% endfor %}",
     "{% for x in [1] %}{% set a, loop = 1, 2 %}{% endfor %}",
     "{% for x in [1] %}{% else %}{% set loop = 1 %}{% endfor %}",
     "{% for x in [1] %}{% set ns = namespace() %}{% set ns.loop = 1 %}{{ ns.loop }}{% endfor %}",
     "{% for x in [1] %}{% for loop in [1] %}{% endfor %}{% endfor %}",
     "{% for x in [1] %}{% block b %}{% set loop = 1 %}{% endblock %}{% endfor %}",
     "{% for x in [1] %}{% macro m(loop) %}{{ loop }}{% endmacro %}{{ m(3) }}{% endfor %}",
     "{% macro m() %}{{ caller(1) }}{% endmacro %}{% for x in [1] %}{% call(loop) m() %}{{ loop }}{% endcall %}{% endfor %}",
     "{% for x in [1] %}{% set loop %}x{% endset %}{% endfor %}",
     "{% for x in [1] %}{% if x %}{% filter upper %}{% set loop = 1 %}{% endfilter %}{% endif %}{% endfor %}",
     "{% set loop = 1 %}{{ loop }}{% for x in [1] %}{{ loop.index }}{% endfor %}",
     "{% macro m() %}{% set loop = 1 %}{{ loop }}{% endmacro %}{% for x in [1] %}{{ m() }}{% endfor %}",
     "{% for x in [1] %}{{ x }}{% endfor %}{% set loop = 2 %}{{ loop }}",
     "{% for x in [1] %}\n{% if true %}\n{% set loop = 1 %}{% endif %}{{ 1/0 }}{% endfor %}",
     ]
check([mk(t) for t in T], 'loop store')
