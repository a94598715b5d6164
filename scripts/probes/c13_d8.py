#!/usr/bin/env python3
"""c13 d8: reprs of globals and runtime objects, subscripts of odd kinds, dict literal keys,
attribute/item lookups through numbers, and loop/macro/self objects printed, hand-written,
under autoescape off and on."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

T = r'''
{{ range }}|{{ dict }}|{{ namespace }}|{{ joiner }}|{{ cycler }}
{% for x in [1, 2] %}{{ loop }}{% endfor %}|{% for x in [1, 2] %}{% for y in [3] %}{{ loop.parent if false else loop }}{% endfor %}{% endfor %}
{{ self }}|{% macro m() %}{{ caller }}{{ varargs }}{{ kwargs }}{% endmacro %}{% call m() %}{% endcall %}|{{ m }}|{{ m.name }}
{{ 'abc'[1.0] }}|{{ [1, 2][true] }}|{{ d[none] }}|{{ users['0'] }}|{{ users.first }}|{{ 'abc'.0 }}|{{ users.0.tags.0 }}|{{ 1.real if false else '' }}|{{ (1).real }}
{{ {'a': 1, 'a': 2} }}|{{ {1: 'a', 1.0: 'b', true: 'c'} }}|{{ {none: 1}[none] }}|{{ {(1, 2): 'x'}[(1, 2)] }}|{{ {'a': 1}['a'] }}|{{ {1: 2}.get(1.0) }}
{{ [1] == (1,) }}|{{ (1,) == (1,) }}|{{ 'abc' in ['abc'] }}|{{ [1, [2]] in [[1, [2]]] }}|{{ {'a': 1} in [{'a': 1}] }}|{{ none in [] }}|{{ 1 in [true] }}
{{ 'abc'[::0] if false else 'x' }}|{{ 'abcdef'[-2:1:-1] }}|{{ [1, 2, 3][none:2] }}|{{ [1, 2, 3][:none] }}|{{ 'abc'[5:] }}|{{ 'abc'[-5] }}|{{ range(5)[1:][1:] }}
{{ d.items() }}|{{ d.keys() }}|{{ d.values() }}|{{ d.items()|list }}|{{ d.keys()|join }}|{{ d.items()|map('join', '=')|join(',') }}
{{ users[0].items()|first }}|{{ (users|first).keys()|list }}|{{ nested.items()|list }}|{{ nested.values()|first }}
{{ range(3).start if false else range(3)|last }}|{{ range(10, 0, -2)|list }}|{{ range(3)|map('string')|join }}|{{ range(2, 3)|first }}|{{ range(0)|first }}
{{ d|list }}|{{ d.copy()|list }}|{{ dict(d, z=1) }}|{{ dict(d) == d }}|{{ dict(**d) if false else '' }}|{{ dict(a=d) }}|{{ dict([('a', 1)]) if false else 1 }}
{{ namespace(d).a }}|{{ namespace(d, a=9).a }}|{{ namespace(users[0]).name }}|{% set ns = namespace(l=[]) %}{% set _ = ns.l.append(1) %}{{ ns.l }}
{% set ns = namespace(x=1) %}{% set ns.x = ns.x + 1 %}{% set ns.y = 'new' %}{{ ns.x }}{{ ns.y }}{{ ns }}
{{ lipsum(1, false, 3, 3)|wordcount }}|{{ lipsum(2)|length > 0 }}|{{ lipsum(1, html=true)[:3] }}
{% set c = cycler() %}{{ c.current if false else '' }}|{% set c2 = cycler('x') %}{{ c2.next() }}{{ c2.next() }}{{ c2.current }}
{% set j = joiner() %}{{ j() }}{{ j() }}|{% set j = joiner('<br>') %}{{ j() }}{{ j() }}{{ j() }}
{{ 1 if 1 }}{{ 2 if 0 }}{{ none if true }}|{{ (3 if false) is defined }}|{{ (3 if false) is none }}|{{ (3 if false)|default('d') }}
{{ 'x' if missing is defined else missing|default('m') }}|{{ missing.attr is defined }}|{{ missing is defined and missing.x }}
{{ [] or 'empty' }}|{{ {} or 'e' }}|{{ 0.0 or 'z' }}|{{ '0' or 'z' }}|{{ ' ' or 'z' }}|{{ range(0) or 'r' }}|{{ (html|safe) and 'm' }}|{{ (''|safe) or 'ms' }}
{{ not '' }}|{{ not ' ' }}|{{ not [0] }}|{{ not 0.0 }}|{{ not -0.0 }}|{{ not range(0) }}|{{ not ''|safe }}|{{ not missing }}
{{ 1 < 2.5 }}|{{ true < 2 }}|{{ none == 0 }}|{{ '1' == 1 }}|{{ [1, 2] != [1, 2] }}|{{ (1, 'a') < (1, 'b') }}|{{ 'abc' > 'abd' }}|{{ 'Z' > 'a' }}|{{ 'é' > 'z' }}
{{ 5 // 2 * 2 + 5 % 2 }}|{{ 2 ** 3 ** 0 }}|{{ -3 ** 2 }}|{{ (-3) ** 2 }}|{{ 2 * -1 }}|{{ 2 - -1 }}|{{ not 1 == 2 }}|{{ 1 + 2 ~ 3 if false else 'x' }}|{{ 'a' ~ 1 + 2 }}
{{ 7 / 7 }}|{{ 1 / 3 * 3 == 1 }}|{{ 0.1 * 3 }}|{{ 1e308 * 10 }}|{{ -1e308 * 10 }}|{{ (1e308 * 10) - (1e308 * 10) }}|{{ 2 ** 0.5 * 2 ** 0.5 }}|{{ 10 ** -3 }}|{{ 4 ** 0.5 }}
{{ big ** 3 }}|{{ -big ** 3 }}|{{ (big * 1000000) // 3 }}|{{ 2 ** 100 % 7 }}|{{ 2 ** 100 / 3 }}|{{ 2 ** 64 - 1 }}|{{ -(2 ** 64) }}|{{ (2 ** 64)|string|length }}|{{ 10 ** 20 == 1e20 }}
{{ 12345678901234567890 }}|{{ -12345678901234567890 + 1 }}|{{ 99999999999999999999 * 0 }}|{{ 2 ** 62 + 2 ** 62 }}|{{ 9223372036854775807 + 1 }}|{{ -9223372036854775808 - 1 }}|{{ 9223372036854775807 * -1 }}
{{ 3 * 1.1 }}|{{ 1.1 + 2.2 }}|{{ 100 * 1.1 }}|{{ 0.1 + 0.7 }}|{{ 1 / 7 }}|{{ 2 / 3 }}|{{ 1e22 }}|{{ 1e21 + 1 }}|{{ 123456789012345680000.0 }}|{{ 5e-324 }}|{{ 1.7976931348623157e308 }}
'''
cases = []
for line in T.strip('\n').split('\n'):
    for ae in (False, True):
        cases.append(mk(line, autoescape=ae))
check(cases, 'c13_d8 reprs/lookups')
