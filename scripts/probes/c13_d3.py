#!/usr/bin/env python3
"""c13 d3: tags, loops and macros, hand-written in the ceo/own style over the shared context,
each under autoescape off/on and trim_blocks+lstrip_blocks."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

T = r'''
{% for u in users %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}|{% endfor %}
{% for u in users if u.age > 30 %}{{ loop.index }}/{{ loop.length }}:{{ u.name }}{{ loop.last }} {% else %}none{% endfor %}
{% for u in users|sort(attribute='age') %}{% if loop.changed(u.age) %}[{{ u.age }}]{% endif %}{{ u.name }}{% endfor %}
{% for u in users %}{{ loop.previtem.name|default('-') }}<{{ u.name }}>{{ loop.nextitem.name|default('-') }} {% endfor %}
{% for u in users %}{{ loop.cycle('a', 'b') }}{{ loop.cycle(*u.tags) if u.tags else '' }}{% endfor %}
{% for name, age in users|map(attribute='name')|zip(users|map(attribute='age')) if false %}{% endfor %}ok
{% for k in d %}{{ k }}{{ d[k] }}{% endfor %} {% for k, v in d.items()|sort %}{{ k }}{{ v }}{% endfor %} {% for k, v in d|dictsort(by='value', reverse=true) %}{{ k }}{% endfor %}
{% for a, (b, c) in [(1, (2, 3)), (4, (5, 6))] %}{{ a + b + c }}{% endfor %} {% for a, b in ['xy', 'zw'] %}{{ b }}{{ a }}{% endfor %}
{% for x in range(3) %}{% for y in range(x) %}{{ loop.index }}{{ loop.depth }}{% endfor %};{{ loop.index }}{% endfor %}
{% for x in [1, 2] %}{% set outer = loop %}{% for y in [3, 4] %}{{ outer.index }}{{ loop.index }}{{ outer.last }} {% endfor %}{% endfor %}
{% for item in nested.a.b.items() %}{{ item }}{{ item[0] }}{% endfor %} {% for c in s.strip() %}{{ c if c != ' ' else '_' }}{% endfor %}
{% for x in users %}{% if loop.index > 1 %}{% break %}{% endif %}{{ x.name }}{% endfor %}
{% for x in empty %}{{ x }}{% else %}{{ loop is defined }}{% endfor %} {% for x in none|default([]) %}{% else %}e{% endfor %}
{% for x in range(5) %}{% set x = x * 10 %}{{ x }}{% endfor %}{{ x }} {% set y = 1 %}{% for i in [1] %}{% set y = 2 %}{% endfor %}{{ y }}
{% for x in range(3) recursive %}{{ x }}{% endfor %} {% for n in [[1, [2, [3]]]] recursive %}({% for m in n %}{% if m is iterable %}{{ loop(m) if false else '' }}{% else %}{{ m }}{% endif %}{% endfor %}){% endfor %}
{% for node in [{'n': 'a', 'c': [{'n': 'b', 'c': [{'n': 'c'}]}, {'n': 'd'}]}] recursive %}{{ node.n }}{{ loop.depth }}{% if node.c %}[{{ loop(node.c) }}]{% endif %}{% endfor %}
{% for node in [{'n': 'a', 'c': [{'n': 'b', 'c': []}, {'n': 'd'}]}] recursive %}{{ loop.index }}{{ loop.first }}{{ loop.last }}{{ node.n }}{% if node.c %}<{{ loop(node.c)|upper }}>{% endif %}{% endfor %}
{% for x in [3, 1, 2]|sort %}{{ loop.previtem }}{{ x }}{% endfor %} {% for x in 'ab'|list + ['c'] %}{{ loop.revindex }}{{ x }}{% endfor %}
{% for x in users|map(attribute='tags')|select %}{{ x|join }}{{ loop.length }}{% endfor %}
{% for i in range(n) if i is even %}{{ i }}{% if not loop.last %},{% endif %}{% endfor %}
{% for x in [1, 2, 3] %}{% continue %}{{ x }}{% endfor %}done {% for x in [1, 2, 3] %}{% if x == 2 %}{% continue %}{% endif %}{{ x }}{% endfor %}
{% for x in [1, 1, 2, 2, 1] %}{{ loop.changed(x) }}{% endfor %} {% for x in [1, 2] %}{{ loop.changed(x, 1) }}{{ loop.changed(x, 1) }}{% endfor %}
{% macro row(u, sep=': ') %}{{ u.name }}{{ sep }}{{ u.age }}{% endmacro %}{% for u in users %}{{ row(u) }}{{ ', ' if not loop.last }}{% endfor %}
{% macro m(a, b) %}{{ a }}|{{ b }}|{{ varargs }}|{{ kwargs }}{% endmacro %}{{ m(1) }} {{ m(1, 2, 3) }} {{ m(b=1, a=2) }} {{ m(*[1, 2]) }} {{ m(**{'a': 1, 'b': 2}) }}
{% macro m() %}{{ caller(1, 2) }}{% endmacro %}{% call(a, b) m() %}{{ a + b }}{% endcall %} {% call(a, b=5) m() %}{{ b }}{% endcall %}
{% macro m(x) %}{% if x > 0 %}{{ x }}{{ m(x - 1) }}{% endif %}{% endmacro %}{{ m(n) }}
{% macro m() %}{{ m.name }}{{ m.arguments }}{{ m.catch_kwargs }}{{ m.catch_varargs }}{{ m.caller }}{% endmacro %}{{ m() }} {{ m.name }} {{ m.arguments }}
{% macro m(a, b=2) %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m.arguments }}{{ m.catch_kwargs }}{{ m.catch_varargs }}{{ m.caller }} {{ m }}
{% macro m() %}{{ caller() }}{% endmacro %}{{ m.caller }} {% call m() %}{{ m.caller }}{% endcall %}
{% macro outer() %}{% macro inner() %}in{% endmacro %}[{{ inner() }}]{% endmacro %}{{ outer() }}{{ inner is defined }}
{% macro m(l) %}{% for x in l %}{{ loop.index }}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(x) m(users) %}{{ x.name|upper }}{% endcall %}
{% macro m() %}{{ caller()|trim }}|{{ caller()|length }}{% endmacro %}{% call m() %}  <b>{{ html }}</b>  {% endcall %}
{% macro m(v) %}{% set v = v ~ '!' %}{{ v }}{% endmacro %}{{ m('a') }}{{ m(html) }}
{% macro m(items=[]) %}{% set _ = items.append(1) %}{{ items }}{% endmacro %}{{ m() }}{{ m() }}
{% macro m(d={}) %}{{ d|length }}{% endmacro %}{{ m() }}{{ m({'a': 1}) }}{{ m(d=users[0]) }}
{% set f = m %}{% macro m() %}M{% endmacro %}[{{ f }}]{{ m() }}
{% macro m() -%}  x  {%- endmacro %}[{{ m() }}] {% macro n2() %}
  y
{% endmacro %}[{{ n2() }}]
{% macro m(a) %}{{ a is defined }}{% endmacro %}{{ m() }}{{ m(none) }}{{ m(missing) }}
{% macro m() %}{{ n }}{% set n = 1 %}{{ n }}{% endmacro %}{{ m() if false else 'x' }}
{% macro m(x) %}{{ x }}{% endmacro %}{{ m(x=1) }}{{ m('a' ~ 'b') }}{{ m(m('z')) }}{{ m([1, 2]|join) }}
{% macro m() %}{% for x in [1, 2] %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(x) m() %}{% call(y) m() %}{{ x }}{{ y }},{% endcall %};{% endcall %}
{% set x = 1 %}{% with %}{% set x = 2 %}{{ x }}{% endwith %}{{ x }} {% with x = x + 1, y = x %}{{ x }}{{ y }}{% endwith %}
{% with a = users, b = a|length if a is defined else 'u' %}{{ b }}{% endwith %}
{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set a, b = b, a %}{{ a }}{{ b }} {% set (c, d), e = (1, 2), 3 %}{{ c }}{{ d }}{{ e }} {% set t = 1, %}{{ t }}
{% set x %}{% for u in users %}{{ u.name }}{% endfor %}{% endset %}{{ x|length }}{{ x|lower }} {% set y | replace('a', 'A') | upper %}abc{% endset %}{{ y }}
{% filter indent(2, true) %}a
b{% endfilter %} {% filter replace('x', 'y')|upper %}xox{% endfilter %} {% filter trim %}  t  {% endfilter %}
{% filter center(11) %}{% for u in users[:1] %}{{ u.name }}{% endfor %}{% endfilter %}|{% filter default('dflt') %}{% endfilter %}|
{% if n > 5 %}big{% elif n > 3 %}mid{% else %}small{% endif %} {% if none %}a{% elif empty %}b{% elif d %}c{% endif %} {% if missing %}m{% else %}nm{% endif %}
{% if users|selectattr('age', 'lt', 30)|list %}young{% endif %} {% if 'Ann' in users|map(attribute='name') %}ann{% endif %} {% if not d.zz %}nozz{% endif %}
{% raw %}{{ n }}{% if %}{% endraw %} {% raw -%}  x  {%- endraw %} {%raw%}a{%endraw%}
{# comment {{ n }} #}{{ n }}{#- x -#} {{ n }} {#+ y +#} !
{% set l = [1, 2] %}{% set l2 = l + [3] %}{{ l }}{{ l2 }} {% set dd = {'a': 1} %}{% set _ = dd.update({'b': 2}) %}{{ dd }}
{% set x = 'outer' %}{% if true %}{% set x = 'inner' %}{% endif %}{{ x }} {% for i in [1] %}{% set x = 'loop' %}{{ x }}{% endfor %}{{ x }}
{% set users = users|reverse|list %}{{ users[0].name }} {% set n = n + 1 %}{{ n }}
{% autoescape true %}{{ html }}{% autoescape false %}{{ html }}{% endautoescape %}{% endautoescape %}{{ html }}
{% do users.append(1) if false %}
'''
cases = []
for line in T.strip('\n').split('\n'):
    for o in (dict(autoescape=False), dict(autoescape=True), dict(trim_blocks=True, lstrip_blocks=True)):
        cases.append(mk(line.replace('\\n', '\n'), **o))
check(cases, 'c13_d3 tags/loops/macros')
