#!/usr/bin/env python3
"""Constant `and`/`or` short-circuits fold away their right operand (Jinja2's optimizer), so
an unknown filter or test there is no error; not in volatile `{% autoescape %}` code."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = ['{{ 0 and False|bool }}', '{{ 1 or x|bool }}', '{{ 1 and x|bool }}', '{{ "" and x is nosuch }}', '{{ 1 or x is nosuch }}',
     '{{ "a" if 1 else x|nosuch }}', '{{ x|nosuch if 0 else "b" }}', '{% if 0 and x|nosuch %}a{% endif %}', '{{ [0 and y|bool][0] }}',
     '{{ none and x|nosuch }}', '{{ (0 and x|nosuch) ~ "z" }}', '{{ 0 and (x|nosuch) or 3 }}', '{{ (1 or x|nosuch) + 1 }}',
     '{{ [] and x|nosuch }}', '{{ () and x|nosuch }}', '{{ {} and x|nosuch }}', '{{ 0.0 and x|nosuch }}', '{{ "0" and x|nosuch }}',
     '{{ not 1 and x|nosuch }}', '{{ 1 > 2 and x|nosuch }}', '{{ 1 in [] and x|nosuch }}', '{{ true or x is nosuch }}', '{% for i in [] if 0 and x|nosuch %}{% endfor %}',
     '{{ 0 and caller|nosuch }}', '{% set v = 0 and x|nosuch %}{{ v }}', '{{ 0 and nosuchfn() }}', '{{ f(0 and x|nosuch) }}',
     '{{ (0 and x|nosuch)|string }}', '{{ 1 if 0 and x|nosuch else 2 }}', '{{ 0 and x|nosuch(1, y=2) }}', '{% macro m(a=0 and x|nosuch) %}{{ a }}{% endmacro %}{{ m() }}',
     '{{ 1 or x|nosuch is nosuch2 }}', '{{ "a" ~ 1 or x|nosuch }}', '{{ 0 * 1 and x|nosuch }}', '{{ 1 // 0 and x|nosuch }}', '{{ "" and x|nosuch }}',
     '{% autoescape ae %}{{ 0 and x|nosuch }}{% endautoescape %}', '{% autoescape false %}{{ 0 and x|nosuch }}{% endautoescape %}',
     '{{ (0 and x|nosuch) or y|nosuch2 }}', '{{ "<"|e and x|nosuch }}', '{{ ""|e and x|nosuch }}', '{{ 0 and x|nosuch and 1 }}',
     '{{ [1][5] and x|nosuch }}', '{{ (1, 2)[0] or x|nosuch }}', '{{ "a"|upper or x|nosuch }}', '{{ range(0) and x|nosuch }}',
     '{{ 0 and x|nosuch }}{% block b %}{{ 0 and y|nosuch }}{% endblock %}', '{{ 0 and {"a": x|nosuch} }}', '{{ 0 and x|random }}', '{{ 1 or [1]|map("nosuch") }}']
check([mk(t, ctx={'ae': True, 'x': 'X', 'y': 2}) for t in T] + [mk(t, ctx={'ae': True, 'x': 'X', 'y': 2}, autoescape=True) for t in T], 'c12 p1 const and/or')
V = ['{% autoescape ae %}{% if 0 and x|nosuch %}a{% endif %}{% endautoescape %}', '{% autoescape ae %}{{ (0 and x|nosuch) ~ y }}{% endautoescape %}',
     '{% autoescape ae %}{{ [0 and x|nosuch, y] }}{% endautoescape %}', '{% autoescape ae %}{{ 0 and x is nosuch }}{% endautoescape %}',
     '{% autoescape ae %}{{ 0 and 1|nosuch }}{% endautoescape %}', '{% autoescape ae %}{{ ""|e and x|nosuch }}{% endautoescape %}',
     '{% autoescape ae %}{% set v = 0 and x|nosuch %}{% endautoescape %}', '{% autoescape ae %}{{ (0 and x|nosuch) or "<" }}{% endautoescape %}',
     '{% autoescape ae %}{{ (0 and x|nosuch) or y }}{% endautoescape %}', '{% autoescape ae %}{{ 1 or x|nosuch }}{% endautoescape %}',
     '{% autoescape ae %}{{ "<" or x|nosuch }}{% endautoescape %}', '{% autoescape ae %}{{ 1.5 and "&" }}{% endautoescape %}']
check([mk(t, ctx={'ae': a, 'x': 'X', 'y': 2}, autoescape=g) for t in V for a in (True, False) for g in (True, False)], 'c12 p1 volatile')
