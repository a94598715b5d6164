#!/usr/bin/env python3
"""c13 d7: whitespace control with CRLF/CR line ends, tabs, raw blocks, comments and
`+`/`-` modifiers under every combination of trim_blocks, lstrip_blocks and
keep_trailing_newline; also inside macros, call blocks, includes and child blocks."""
import itertools, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

T = [
    'a\r\n{% if true %}\r\nb\r\n{% endif %}\r\nc\r\n',
    'a\r{% if true %}\rb\r{% endif %}\rc\r',
    '  {% for x in [1, 2] %}\r\n  {{ x }}\r\n  {% endfor %}\r\n',
    'x\r\n  {#- c -#}  \r\ny',
    '\t{% if true %}\tyes\n\t{% endif %}\n',
    ' \t {% if true %}\n \t x\n \t{% endif %} \n',
    'a {%- if true -%} b {%- endif -%} c',
    'a\n  {%+ if true %}b{% endif %}\n',
    'a\n  {% if true +%}\nb\n  {%- endif %}\n',
    '{% raw %}\n  {{ x }}\n{% endraw %}\n',
    '  {% raw %}\n  {% endraw %}\n',
    '  {%- raw -%}\n  r  \n  {%- endraw -%}\n  z',
    '{# c #}\n{# d #}\n  {# e #}\nx',
    'a\n{%- for i in range(2) %}\n  {{- i }}\n{% endfor -%}\nb',
    '{% macro m() %}\n  body\n{% endmacro %}\n{{ m() }}\n{{ m() }}',
    '{% macro m() -%}\n  body\n{%- endmacro %}\n[{{ m() }}]',
    '{% macro m() %}\n<{{ caller() }}>\n{% endmacro %}\n{% call m() %}\n  inner\n{% endcall %}\n',
    '{% set x %}\n  captured\n{% endset %}\n[{{ x }}]',
    '{% filter upper %}\n  f\n{% endfilter %}\n',
    '<ul>\n{% for u in users %}\n  <li>{{ u.name }}</li>\n{% endfor %}\n</ul>\n',
    '{% if true %}\n\n{% endif %}\n\n',
    '{{ 1 }}\n{{ 2 }}\n\n',
    '{% for x in [1] %}{% endfor %}\n',
    'x\n\n\n',
    '\n',
    '',
    '   ',
    '{% if true %}  \n  x\n{% endif %}  \n',
    '{% with %}\n  {% set a = 1 %}\n  {{ a }}\n{% endwith %}\n',
    '{%- if true %}\nx\n{%- endif %}',
    '{% if true -%}\n\n\n  x\n{%- endif %}\n',
    'a  {{- "b" -}}  \n  c',
    '{{ "a" }}  {# x #}  {{ "b" }}',
    '  {{ "a" }}\n  {% if true %}b{% endif %}\n',
    '{% for x in [1, 2] %}\n{% if x == 1 %}\none\n{% else %}\nother\n{% endif %}\n{% endfor %}\n',
    'pre\n  {% block b %}\n  blk\n  {% endblock %}\npost\n',
    '{% set l = [1,\n  2,\n  3] %}\n{{ l }}',
    '{{ [1,\r\n 2] }}|{{ "a\r\nb" }}|{% set s %}x\r\ny{% endset %}{{ s|length }}',
    '{% raw %}a\r\nb{% endraw %}|{{ "line1\rline2"|length }}',
    'text\r\n{# comment\r\n more #}\r\nend\r\n',
]
LIB = {
    'inc.html': '  {% if true %}\n  inc\n  {% endif %}\n',
    'base.html': '<b>\n  {% block body %}\n  base\n  {% endblock %}\n</b>\n',
}
T += ['{% include "inc.html" %}\n{% include "inc.html" %}',
      '{% extends "base.html" %}\n{% block body %}\n  child\n  {{ super() }}\n{% endblock %}\n',
      '{% for i in [1, 2] %}\n  {% include "inc.html" %}\n{% endfor %}\n']
cases = []
for t in T:
    for tb, lb, kt in itertools.product((False, True), repeat=3):
        cases.append(mk({'main': t, **LIB}, trim_blocks=tb, lstrip_blocks=lb, keep_trailing_newline=kt))
check(cases, 'c13_d7 whitespace')
