#!/usr/bin/env python3
"""Thirteenth sweep, undefined kinds in depth: every operation on a missing name, a missing
attribute/item of a dict/list/string/none, and a chain of them, under the four undefined kinds
(and autoescape): printing, str/repr inside containers, iteration, len, bool, comparisons,
arithmetic on both sides, `~`, `%`, str.format, filters and tests that accept undefined, as a
macro default / loop target / with / set / namespace attribute."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
U = ['default', 'strict', 'chainable', 'debug']
V = ['u', 'u.a', 'u["k"]', 'd.zz', 'd["zz"]', 'none_.x', 'l[9]', 's.zz', 'd.zz.yy', 'u.a.b', 'missing[0]', 'loop', 'd.k.zz', 'u[0].x', 'u.a[1]', 'u()']
OPS = ['{{ %s }}', '{{ [%s] }}', '{{ [%s, 1]|string }}', '{{ (%s, ) }}', '{{ {"k": %s} }}', '{{ %s|string }}', '{{ %s|e }}', '{{ %s|safe }}', '{{ %s|pprint }}',
       '{{ %s|length }}', '{{ %s|count }}', '{{ %s|list }}', '{{ %s|join(",") }}', '{{ %s|first }}', '{{ %s|last }}', '{{ %s|sort }}', '{{ %s|dictsort }}',
       '{{ %s|items|list }}', '{{ %s|map("upper")|list }}', '{{ %s|select|list }}', '{{ %s|reject|list }}', '{{ %s|unique|list }}', '{{ %s|batch(2)|list }}',
       '{{ %s|default("D") }}', '{{ %s|default("D", true) }}', '{{ %s|d(none)|string }}', '{{ %s is defined }}', '{{ %s is undefined }}', '{{ %s is none }}',
       '{{ %s is string }}', '{{ %s is iterable }}', '{{ %s is mapping }}', '{{ %s is sequence }}', '{{ %s is number }}', '{{ %s is callable }}', '{{ %s is true }}',
       '{{ %s ~ "!" }}', '{{ "!" ~ %s }}', '{{ "%%s|"|format(%s) }}', '{{ "%%r"|format(%s) }}', '{{ "%%s" %% %s }}', '{{ "{}"|format(%s) }}', '{{ "{}".format(%s) }}',
       '{{ "{!r}".format(%s) }}', '{{ %s + 1 }}', '{{ 1 + %s }}', '{{ %s * 2 }}', '{{ 2 * %s }}', '{{ %s == 1 }}', '{{ 1 == %s }}', '{{ %s != %s }}', '{{ %s < 1 }}',
       '{{ 1 in %s }}', '{{ %s in [1] }}', '{{ %s in "abc" }}', '{{ not %s }}', '{{ %s and 1 }}', '{{ %s or "o" }}', '{{ -%s }}', '{{ %s|int }}', '{{ %s|abs }}',
       '{{ %s|tojson }}', '{{ %s|upper }}', '{{ %s|trim }}', '{{ %s|wordcount }}', '{{ %s|urlencode }}', '{{ %s|xmlattr }}', '{{ %s|min }}', '{{ %s|sum }}',
       '{% for i in %s %}{{ i }}{% else %}E{% endfor %}', '{% if %s %}T{% else %}F{% endif %}', '{% set v = %s %}[{{ v }}]', '{% with v = %s %}[{{ v }}]{% endwith %}',
       '{% macro m(a=%s) %}[{{ a }}]{% endmacro %}{{ m() }}', '{% set ns = namespace(a=%s) %}[{{ ns.a }}]', '{% set ns = namespace() %}{% set ns.a = %s %}[{{ ns.a }}]',
       '{% for %s in [1] %}{% endfor %}', '{{ %s|attr("x") }}', '{{ %s.x|default("dx") }}', '{{ %s is eq %s }}', '{{ %s is sameas %s }}', '{{ (%s)|length }}',
       '{{ %s|replace("a", "b") }}', '{{ "a"|replace(%s, "b") }}', '{{ [1, 2]|join(%s) }}', '{{ %s[1:] }}', '{{ %s.items() }}', '{{ %s|float }}', '{{ %s|round }}',
       '{{ %s|indent }}', '{{ %s|title }}', '{{ %s|reverse }}', '{{ %s|center(3) }}', '{{ %s|striptags }}', '{{ %s|forceescape }}', '{{ %s|escape|string }}',
       '{{ %s|selectattr("x")|list }}', '{{ %s|groupby("x")|list }}', '{{ %s|max }}', '{{ %s|random is defined }}', '{{ dict(a=%s) }}', '{{ [%s]|map("string")|list }}',
       '{{ [%s]|select("defined")|list }}', '{{ [%s]|reject("undefined")|list }}', '{{ [%s, 1]|join("-") }}', '{{ [%s]|first }}', '{{ [%s]|length }}', '{{ [%s]|tojson }}']
ctx = {'d': {'k': 'v'}, 'l': [1], 's': 'ab', 'none_': None}
cases = []
for op in OPS:
    for v in V:
        t = op.replace('%%', '\0').replace('%s', v).replace('\0', '%')
        for u in U:
            cases.append(mk(t, ctx=ctx, undefined=u))
        cases.append(mk(t, ctx=ctx, undefined='debug', autoescape=True))
        cases.append(mk(t, ctx=ctx, undefined='chainable', autoescape=True))
check(cases, 'c13 u1 undefined in depth')
