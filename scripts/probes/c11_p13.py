import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ }}
{{ 1 + }}
{{ (1, }}
{{ [1, 2 }}
{{ {'a' 1} }}
{{ {1: 2, } }}|{{ [1, ] }}|{{ (1, ) }}
{{ a.1 }}
{{ a.0.b }}
{{ 'a' 'b' }}
{{ 1 2 }}
{{ x|f( }}
{{ x|1 }}
{{ x is }}
{{ x is not }}
{{ not }}
{{ 1 if }}
{{ 1 if 2 else }}
{{ a[] }}
{{ a[1:2:3:4] }}
{{ a[:] }}|{{ [1,2][:] }}|{{ [1,2,3][::] }}
{{ foo(a=1, 2) }}
{{ foo(*a, b) }}
{{ foo(**a, b=1) }}
{{ foo(**a, *b) }}
{{ foo(a=1, a=2) }}
{% for %}{% endfor %}
{% for x %}{% endfor %}
{% for x in %}{% endfor %}
{% for x in y %}
{% endfor %}
{% if 1 %}{% endfor %}
{% if 1 %}{% else %}{% else %}{% endif %}
{% for x in y %}{% else %}{% else %}{% endfor %}
{% block %}{% endblock %}
{% block a %}{% endblock b %}
{% block a.b %}{% endblock %}
{% set %}
{% set x %}
{% set x = %}
{% set 1 = 2 %}
{% set x.y = 1 %}
{% set x['a'] = 1 %}
{% set x, = 1, %}{{ x }}
{% with %}{% endwith %}
{% with a %}{% endwith %}
{% with a = 1, b = a %}{{ b }}{% endwith %}
{% macro %}{% endmacro %}
{% macro m( %}{% endmacro %}
{% macro m(1) %}{% endmacro %}
{% call %}{% endcall %}
{% call m %}{% endcall %}
{% filter %}{% endfilter %}
{% filter 1 %}{% endfilter %}
{% filter nope %}{% endfilter %}
{% import %}
{% import 'x' %}
{% import 'x' as %}
{% from 'x' %}
{% from 'x' import %}
{% from 'x' import a as %}
{% from 'x' import a.b %}
{% include %}
{% extends %}
{% autoescape %}{% endautoescape %}
{% autoescape x %}{% endautoescape %}
{% raw %}
{% endraw %}
{% endif %}
{% elif %}
{% nope %}
{% if 1 %}
{# unclosed
{{ 1 }
{{ 1
{% if 1 }
{{ '\xZZ' }}
{{ "\u12" }}
{{ 1e }}
{{ 0x }}
{{ 08 }}
{{ 1__0 }}
{{ 1.e5 }}
{{ 1._5 }}
{{ a!b }}
{{ a $ b }}
{{ a ? b }}
{{ `x` }}
{{ a ; b }}
{{ a = 1 }}
{{ a == = 1 }}
{{ a => 1 }}
{{ a <> 1 }}
{{ a ! = 1 }}
{% for x in [1] recursive recursive %}{% endfor %}
{% for x in [1] if %}{% endfor %}
{% for x, in [[1]] %}{{ x }}{% endfor %}
{% for in [1] %}{% endfor %}
{% for x.y in [1] %}{% endfor %}
{% for loop in [1] %}{% endfor %}
{% set loop = 1 %}{{ loop }}
{% macro m(loop) %}{% endmacro %}
{{ true.x }}|{{ True }}|{{ TRUE }}|{{ None }}|{{ none.x }}
{% block super %}{% endblock %}
{% set self = 1 %}{{ self }}
{% macro caller() %}{% endmacro %}{{ caller() }}
{% trans %}x{% endtrans %}
{% do 1 %}
{% break %}
{% continue %}
{% for x in [1] %}{% continue %}{% endfor %}ok
{% debug %}
{% extends 'a' %}{% extends 'b' %}
{{ a.b.c.d(1)(2)[3].e }}
{{ -1 ** 2 }}|{{ (-1) ** 2 }}|{{ 2 ** 3 ** 2 }}|{{ not 1 == 2 }}|{{ not 1 in [1] }}|{{ 1 is number is sameas true }}
{{ 1 < 2 < 3 }}|{{ 3 > 2 > 1 }}|{{ 1 < 3 > 2 }}|{{ 1 == 1 == 1 }}|{{ 1 != 2 != 1 }}
{{ 'a' ~ 1 + 2 }}
{{ 2 * 3 ~ 4 }}|{{ 10 // 3 ~ 'x' }}|{{ -'a'|upper }}
{{ [1, 2]|length + 1 }}|{{ -[1]|length }}|{{ not [1]|length }}
{{ 1 if true else 2 if false else 3 }}|{{ (1 if false) is none }}
{{ x|default(1) if false else 2 }}
{{ a.b|upper if a else 'n' }}
'''
cases=[mk(l, ctx={'a': {'b': 'c'}, 'y': [1]}) for l in T.strip().split('\n')]
check(cases, 'syntax')
