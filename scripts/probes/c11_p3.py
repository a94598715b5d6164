import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = [
"  {% if true %}\n  x\n  {% endif %}\n",
"  {%- if true %}\n  x\n  {%+ endif %}\n",
"a\n  {# c #}\nb\n",
"a\n  {#- c -#}  \nb\n",
"a  {% raw %}  {{ x }}  {% endraw %}  b\n",
"a\n  {% raw -%}\n  {{ x }}\n  {%- endraw %}\nb",
"{% for i in [1,2] %}\n  {{ i }}\n{% endfor %}\n",
"\t{% set x = 1 %}\n\t{{ x }}\n",
"x {% if 1 %}\ny{% endif %}\n\n",
"{{ 1 }}\n{{- 2 -}}\n{{ 3 }}\n",
"<div>\n    {% if true -%}\n        yes\n    {%- endif %}\n</div>\n",
"{% macro m() %}\n  body\n{% endmacro %}\n{{ m() }}\n",
"{% block b %}\n  blk\n{% endblock %}\n",
"a\r\nb{% if 1 %}\r\nc{% endif %}\r\n",
"{%- if 1 -%}  \n  x  \n  {%- endif -%}",
"  {%+ if 1 %}x{% endif %}",
"  {{ 'a' }}  {% if 1 %}  \n",
"{% if 1 %}   \nx{% endif %}",
"{% if 1 %}\t\nx{% endif %}",
"  {# comment #}  x",
"  {% raw %}r{% endraw %}\n",
"{%raw%}{%endraw%}{% raw %}{{{% endraw %}",
"{% filter upper %}\n  a\n{% endfilter %}\n",
"{% set x %}\n  v\n{% endset %}[{{ x }}]",
"{% with a=1 %}\n  {{ a }}\n{% endwith %}",
"x\n{%- for i in [1] %}\n{{ i }}\n{%- endfor %}\n",
]
cases=[]
for t in T:
    for tb, lb, ktn in itertools.product([False, True], repeat=3):
        cases.append(mk(t, trim_blocks=tb, lstrip_blocks=lb, keep_trailing_newline=ktn))
check(cases, 'ws')
