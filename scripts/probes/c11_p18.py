import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}
{% set x = 1 %}{% with %}{% set x = 2 %}{{ x }}{% endwith %}{{ x }}
{% set x = 1 %}{% for i in [1] %}{{ x }}{% set x = 2 %}{{ x }}{% endfor %}{{ x }}
{% for i in [1, 2] %}{% if loop.first %}{% set y = 'f' %}{% endif %}{{ y }}{% endfor %}
{% set ns = namespace(c=0) %}{% for i in [1, 2, 3] %}{% set ns.c = ns.c + i %}{% endfor %}{{ ns.c }}
{% set ns = namespace() %}{% set ns.a, ns.b = 1, 2 %}{{ ns.a }}{{ ns.b }}
{% set ns = namespace() %}{% for ns.x in [1, 2] %}{% endfor %}{{ ns.x }}
{% set d = {} %}{% set d.x = 1 %}
{% set ns = 5 %}{% set ns.x = 1 %}
{% with a = 1 %}{% with b = a + 1 %}{{ a }}{{ b }}{% endwith %}{% endwith %}{{ a }}
{% with a = [1] %}{% set _ = a.append(2) %}{{ a }}{% endwith %}
{% set x | upper %}abc{% endset %}{{ x }}
{% set x | replace('a', 'b') | upper %}aac{% endset %}{{ x }}
{% set x | nope %}a{% endset %}
{% filter upper|replace('A', 'x') %}abc{% endfilter %}
{% filter truncate(5) %}abcdefghij{% endfilter %}
{% filter default('d') %}{% endfilter %}|{% filter length %}abc{% endfilter %}|{% filter list %}ab{% endfilter %}
{% autoescape true %}{{ '<' }}{% autoescape false %}{{ '<' }}{% endautoescape %}{{ '<' }}{% endautoescape %}{{ '<' }}
{% autoescape true %}{% macro m(x) %}{{ x }}{% endmacro %}{% endautoescape %}{{ m('<') }}
{% macro m(x) %}{{ x }}{% endmacro %}{% autoescape true %}{{ m('<') }}{% endautoescape %}
{% autoescape 1 %}{{ '<' }}{% endautoescape %}
{% autoescape x %}{{ '<' }}{% endautoescape %}
{% autoescape true %}{% filter upper %}<{{ '<' }}{% endfilter %}{% endautoescape %}
{% autoescape true %}{% set s %}<{{ '<' }}{% endset %}{{ s }}{{ s|length }}{% endautoescape %}
{% autoescape true %}{{ '<'|safe ~ '<' }}|{{ x ~ '<' }}|{{ '%s'|format('<') }}|{{ '<'|replace('<', '>') }}{% endautoescape %}
{% autoescape true %}{{ ['<'] }}|{{ {'<': '>'} }}|{{ ('<',) }}{% endautoescape %}
{% autoescape true %}{{ '<'|string }}|{{ '<'|e|string }}|{{ '<'|center(3) }}|{{ '<'|indent }}{% endautoescape %}
{% autoescape true %}{{ x|join }}{{ [x, '&']|join }}{{ [x, '&']|join('<') }}{% endautoescape %}
{% macro m() %}{{ caller() }}{% endmacro %}{% autoescape true %}{% call m() %}<{{ '<' }}{% endcall %}{% endautoescape %}
{% for i in [1, 2] %}{% set i = i * 10 %}{{ i }}{% endfor %}
{% for i in [1] %}{% for i in [2] %}{{ i }}{% endfor %}{{ i }}{% endfor %}
{% set i = 'o' %}{% for i in [] %}{% else %}{{ i }}{% endfor %}
{% for x in [1] %}{% set loop = 5 %}{{ loop }}{% endfor %}
{{ x }}{% set x = 2 %}{{ x }}
{% if false %}{% set z = 1 %}{% endif %}{{ z }}
{% macro m() %}{{ z }}{% endmacro %}{% set z = 3 %}{{ m() }}
{% set a = 1 %}{% macro m() %}{% set a = a + 1 %}{{ a }}{% endmacro %}{{ m() }}{{ a }}
{% set a = 1 %}{% macro m() %}{{ a }}{% set a = 2 %}{% endmacro %}{{ m() }}
{% for i in [1] %}{{ a }}{% set a = 2 %}{% endfor %}
{% block b %}{% set q = 1 %}{% endblock %}{{ q }}
'''
cases=[mk(l, ctx={'x': '<'}) for l in T.strip().split('\n')]
for u in ['strict']:
    cases += [mk(l, ctx={'x': '<'}, undefined=u) for l in T.strip().split('\n')]
check(cases, 'scoping')
