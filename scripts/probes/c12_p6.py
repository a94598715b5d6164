#!/usr/bin/env python3
"""Whitespace options across template boundaries: trailing newlines of included, imported
and extended templates, blocks and macros under trim_blocks/lstrip_blocks/keep_trailing_newline."""
import itertools, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
L = {'inc': 'I\n', 'inc2': '  {% if true %}\n  I2\n  {% endif %}\n\n', 'lib': '{% macro m() %}\n  M\n{% endmacro %}\n',
     'base': '<{% block a %}\n  A\n{% endblock %}>\n', 'base2': '{% block a -%}\n  A\n{%- endblock %}\n\n'}
T = ['{% include "inc" %}|', '{% include "inc2" %}|', '{% import "lib" as l %}[{{ l.m() }}]', '{% from "lib" import m %}{{ m() }}|\n',
     '{% extends "base" %}', '{% extends "base" %}{% block a %}\n  B\n{% endblock %}\n', '{% extends "base2" %}{% block a %}\n{{ super() }}\n{% endblock %}',
     '  {% for i in [1] %}\n    {{ i }}\n  {% endfor %}\n', '{% raw %}\n  x\n{% endraw %}\n', '  {#- c -#}  \n', '{% set v %}\n  v\n{% endset %}[{{ v }}]\n',
     '{{ "a" }}\n', '{{ "a" }}\n\n', '\n', '', '{% if true %}\n{% endif %}\n', 'a\r\nb\r\n', 'a\rb\r', '  {% macro q() %}\n  Q\n  {% endmacro %}\n{{ q() }}',
     '{% filter upper %}\n  f\n{% endfilter %}\n', '{% with %}\n  w\n{% endwith %}\n', '{% call m2() %}\n  c\n{% endcall %}', '  {% include "inc" %}  \n']
cases = []
for t in T:
    for tb, lb, kt in itertools.product((False, True), repeat=3):
        d = dict(L); d['main'] = '{% macro m2() %}<{{ caller() }}>{% endmacro %}' + t if 'm2' in t else t
        cases.append(mk(d, ctx={}, trim_blocks=tb, lstrip_blocks=lb, keep_trailing_newline=kt))
check(cases, 'c12 p6 whitespace across templates')
