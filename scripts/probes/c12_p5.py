#!/usr/bin/env python3
"""Hand-written syntax, loop and autoescape edge cases (own/ceo style)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = ['{{ 1_000_000 }}', '{{ 1e-3 }}', '{{ 1E5 }}', '{{ 1_0e1_0 }}', '{{ 0b1_0 }}', '{{ 0O17 }}', '{{ 0XfF }}', '{{ 12.5e+2 }}', '{{ .5 }}', '{{ 5. }}', '{{ 1__0 }}',
     '{{ 0_1 }}', '{{ 007 }}', '{{ 0.0e0 }}', '{{ 1e400 }}', '{{ -1e400 }}', '{{ 123456789012345678901234567890 }}', '{{ 2**100 }}', '{{ 1, 2 }}', '{{ 1, }}',
     '{{ (1, 2,) }}', '{{ [1, 2,] }}', '{{ {"a": 1,} }}', '{{ "\\x41\\u00e9\\N{BULLET}" }}', "{{ '\\'' }}", '{{ "\\"" }}', '{{ "a\\\nb" }}', '{{ "\\q" }}',
     '{{ "a" "b" \'c\' }}', '{{ "a"\n"b" }}', '{{ r"x" }}', '{{ "é"|length }}', '{{ "\\t"|length }}', '{{ "\\0" }}', '{{ "\\101" }}', '{{ "\\U0001F600"|length }}',
     '{{ not 1 == 2 }}', '{{ not 1 in [1] }}', '{{ 1 not in [1] }}', '{{ -1 ** 2 }}', '{{ (-1) ** 2 }}', '{{ 2 ** -1 }}', '{{ 2 ** 3 ** 2 }}', '{{ -2 ** -2 }}',
     '{{ 1 < 2 < 3 }}', '{{ 3 > 2 > 1 > 0 }}', '{{ 1 == 1 == 1 }}', '{{ 1 < 2 == 2 }}', '{{ "a" < "b" < "c" }}', '{{ 1 if 1 else 2 if 0 else 3 }}',
     '{{ (1 if 0) is none }}', '{{ (1 if 0) is undefined }}', '{{ 1 + 2 * 3 - 4 / 2 // 1 % 3 }}', '{{ 7 // -2 }}', '{{ -7 % 3 }}', '{{ 7.5 // 2 }}', '{{ -7.5 % 2 }}',
     '{{ "a" ~ 1 + 2 }}', '{{ 1 ~ 2 ~ 3 }}', '{{ "a" * 3 }}', '{{ 3 * "a" }}', '{{ [1] * 2 }}', '{{ [1] + [2] }}', '{{ (1,) + (2,) }}', '{{ "ab"[::-1] }}', '{{ "abc"[-2:] }}',
     '{{ [1,2,3][1:-1] }}', '{{ [1,2,3][::0] if false }}', '{{ x is defined and x }}', '{{ true and 0 or "z" }}', '{{ 0 or "" or none }}', '{{ none or false }}',
     '{{ foo is test }}', '{{ "upper" is filter }}', '{{ "nosuch" is test }}', '{{ 1 is number is true }}', '{{ 2 is divisibleby 2 is true }}', '{{ 5|string|length is odd }}',
     '{{ [1,2]|first is odd }}', '{{ x|default(1) + 1 }}', '{{ -x|default(1) }}', '{{ not x is defined }}', '{{ (not x) is defined }}', '{{ x is not defined }}',
     '{{ 1|abs is number }}', '{{ "a" if "a" is upper else "b" }}', '{{ [i for i in x] }}', '{{ x.y if x }}', '{{ 1 is in [1] }}', '{{ 1 is not in [2] }}',
     '{{ "%s-%s"|format(1, 2) }}', '{{ "{0}".format(1) }}', '{{ (1, 2)|join }}', '{{ {1: 2}[1] }}', '{{ {"a": 1}["a"] }}', '{{ {(1, 2): 3}[(1, 2)] }}',
     '{{ [1, 2, 3]|sum(start=10) }}', '{{ dict(a=1, **{"b": 2}) }}', '{{ range(*[1, 3])|list }}', '{{ "%s"|format(*[1]) }}',
     '{% for a, b in [(1, 2)] %}{{ a }}{{ b }}{% endfor %}', '{% for (a, b), c in [((1, 2), 3)] %}{{ a }}{{ b }}{{ c }}{% endfor %}', '{% for a, in [(1,)] %}{{ a }}{% endfor %}',
     '{% for x in "abc" if x != "b" %}{{ loop.index }}{{ x }}{{ loop.length }}{% endfor %}', '{% for x in [1,2,3] %}{{ loop.revindex }}{{ loop.cycle("a", "b") }}{% endfor %}',
     '{% for x in [] %}{% else %}E{{ loop is defined }}{% endfor %}', '{% for x in [1] %}{% for y in [2] %}{{ loop.depth }}{{ x }}{{ y }}{% endfor %}{% endfor %}',
     '{% for x in [1, 2] %}{% set z = x %}{% endfor %}{{ z }}', '{% set z = 0 %}{% for x in [1, 2] %}{% set z = z + x %}{{ z }}{% endfor %}{{ z }}',
     '{% for k, v in {"a": 1}.items() %}{{ k }}={{ v }}{% endfor %}', '{% for x in {"b": 1, "a": 2} %}{{ x }}{% endfor %}', '{% for x in {"b": 1, "a": 2}|dictsort %}{{ x }}{% endfor %}',
     '{% for x in range(3) %}{{ loop.previtem }}|{{ loop.nextitem }};{% endfor %}', '{% for x in [1,1,2] %}{{ loop.changed(x) }}{% endfor %}',
     '{% autoescape true %}{{ "<" }}{{ "<"|safe }}{{ "<" ~ "&" }}{{ x }}{% endautoescape %}', '{% autoescape false %}{{ "<"|e }}{{ "<" }}{% endautoescape %}',
     '{{ "<a>"|safe ~ "<b>" }}', '{{ ("<a>"|safe ~ "<b>")|e }}', '{{ "<"|e|e }}', '{{ "<"|forceescape|forceescape }}', '{{ "&amp;"|safe|e }}', '{{ ["<"]|join }}',
     '{{ ["<"|safe, "<"]|join }}', '{{ "<"|safe|join("&") }}', '{{ "%s"|format("<") }}', '{{ "<"|safe|format }}', '{{ "<%s>"|safe|format("&") }}', '{{ "<"|replace("<", "&") }}',
     '{{ "<"|safe|replace("<", "&") }}', '{{ "<"|upper }}', '{{ "<"|safe|upper }}', '{{ "<"|safe|length }}', '{{ "<b>x</b>"|striptags }}', '{{ "a<b"|safe|truncate(2) }}',
     '{% set v %}<{{ "<" }}>{% endset %}{{ v }}|{{ v|length }}', '{% macro m() %}<{{ "<" }}>{% endmacro %}{{ m() }}{{ m()|e }}', '{{ "<"|tojson }}', '{{ x|e }}',
     '{{ "<"|indent }}', '{{ "<\n>"|safe|indent }}', '{{ "<\n>"|indent }}', '{{ "<"|center(3) }}', '{{ "<"|safe|center(3) }}', '{{ "<a>"|safe ~ 1 }}', '{{ 1 ~ "<a>"|safe }}']
cases = []
for t in T:
    for ae in (False, True):
        cases.append(mk(t, ctx={'x': '<&>'}, autoescape=ae))
check(cases, 'c12 p5 syntax/loops/autoescape')
