#!/usr/bin/env python3
"""Hand-written edge cases (own/ceo style): undefined kinds, error classes and lines,
autoescape, loops, syntax; each under the four undefined kinds where it matters."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
U = ['default', 'strict', 'chainable', 'debug']
T = ['{{ u }}', '{{ u.a }}', '{{ u.a.b }}', '{{ u["a"] }}', '{{ u() }}', '{{ u|string }}', '{{ u|length }}', '{{ u|list }}', '{{ u ~ "x" }}', '{{ u + 1 }}',
     '{{ u is defined }}', '{{ u.a is defined }}', '{{ u|default("d") }}', '{{ u.a|default("d") }}', '{% for i in u %}{{ i }}{% endfor %}', '{% if u %}T{% else %}F{% endif %}',
     '{{ not u }}', '{{ u == u }}', '{{ u != none }}', '{{ u in [1] }}', '{{ 1 in u }}', '{{ [u] }}', '{{ (u,) }}', '{{ {"k": u} }}', '{{ u|e }}', '{{ u|upper }}',
     '{{ u|int }}', '{{ u|float }}', '{{ u|bool if false else 1 }}', '{{ u|tojson }}', '{{ u|join }}', '{{ u|first }}', '{{ u|sort }}', '{{ u|items|list }}',
     '{{ u|attr("a") }}', '{{ u|safe }}', '{{ "%s"|format(u) }}', '{{ u.__class__ }}', '{% set x = u %}{{ x }}', '{{ u|d(u)|d("z") }}', '{{ -u }}', '{{ u * 2 }}',
     '{{ u < 1 }}', '{{ u[0] }}', '{{ u[1:] }}', '{{ u.items() }}', '{{ namespace(a=u).a }}', '{{ dict(a=u) }}', '{{ u|count }}', '{{ u|wordcount }}',
     '{% for a, b in u %}{% endfor %}x', '{% with x = u %}{{ x.y }}{% endwith %}', '{% macro m(a=u) %}{{ a }}{% endmacro %}{{ m() }}', '{{ lipsum is defined }}',
     '{{ u|selectattr("a")|list }}', '{{ [1, 2]|map(attribute="u")|list }}', '{{ u is none }}', '{{ u is string }}', '{{ u is iterable }}', '{{ u is mapping }}',
     '{{ u is callable }}', '{{ u is sameas u }}', '{{ u is eq u }}', '{{ range(u) }}', '{{ u|abs }}', '{{ u|round }}', '{{ u|trim }}', '{{ u|center(5) }}',
     '{{ loop }}', '{{ loop.index }}', '{{ caller }}', '{{ varargs }}', '{{ self.nope }}', '{{ self.nope() }}', '{{ super() }}', '{{ u.a ~ u.b }}',
     '{% for i in [1] %}{{ loop.nope }}{% endfor %}', '{% for i in [1] %}{{ loop.nope.x }}{% endfor %}', '{{ d.nope }}', '{{ d.nope.x }}', '{{ d["nope"] }}', '{{ l[9] }}', '{{ l[9].x }}',
     '{{ s.nope }}', '{{ s.nope() }}', '{{ none.x }}', '{{ none["x"] }}', '{{ none() }}', '{{ 1.x }}', '{{ (1).x }}']
cases = [mk(t, ctx={'d': {'k': 1}, 'l': [1], 's': 'ab'}, undefined=u) for t in T for u in U]
check(cases, 'c12 p4 undefined kinds')
E = ['a\nb\n{{ x.y.z }}', '{% for %}', '{% if x %}\n\n', '{% if x %}\n{% endfor %}', '{{ 1 +\n\n }}', '{%\nif\n%}', '\n\n{{ "abc }}\n', '{# \n\n', '{% raw %}\n\n',
     '{% block a %}{% block a %}{% endblock %}{% endblock %}', '\n{% extends "x" %}{% extends "y" %}', '{% macro m(a, a) %}{% endmacro %}', '{{ x|nosuch }}', '\n{{ x is nosuch }}',
     '{% include "nosuch" %}', '\n{% import "nosuch" as x %}', '{% from "nosuch" import a %}', '{% extends "nosuch" %}', '{% include ["a", "b"] %}', '{{ 1/0 }}', '\n\n{{ 1 // 0 }}',
     '{{ 1 % 0 }}', '{{ "a" + 1 }}', '{{ [] + {} }}', '{{ 1 < "a" }}', '{{ x.y() }}', '{{ range(1, 2, 0) }}', '{% set a, b = [1] %}', '{% set a, b = [1, 2, 3] %}',
     '{% for a, b in [[1]] %}{% endfor %}', '{% for a in 5 %}{% endfor %}', '{{ "x"|int(base=1) }}', '{% for x in [1] %}{% break %}{% endfor %}', '{% continue %}',
     '\n{% endblock %}', '{% else %}', '{% elif %}', '{% endif %}', '{% macro m() %}{% block b %}{% endblock %}{% endmacro %}', '{% call m() %}{% endcall %}',
     '{% set x %}\n{% endset %}{{ x }}{% endset %}', '{{ caller() }}', '{% macro m() %}{{ caller() }}{% endmacro %}\n{{ m() }}', '{{ x()() }}', '{{ (1, 2).x }}',
     '{% filter nosuch %}{% endfilter %}', '{% filter upper(1) %}a{% endfilter %}', '{% autoescape 1 %}{{ "<" }}{% endautoescape %}', '{% with a, b = 1 %}{% endwith %}',
     '{{ {"a": 1}.a.b.c }}', '{{ "{}"|format }}', '{{ "%d"|format("x") }}', '{{ x|default }}', "{{ 'a' 'b' }}", '{{ 1 if 2 }}', '{{ 1 if }}', '{{ ) }}', '{{ a.0 }}',
     '{% set 1 = 2 %}', '{% set a.b.c = 1 %}', '{% for loop in [1] %}{% endfor %}', '{% set loop = 1 %}{{ loop }}', '{% macro loop() %}{% endmacro %}', '{% macro m(caller) %}{% endmacro %}']
check([mk({'main': t, 'a': 'A', 'b': 'B'}, ctx={}) for t in E] + [mk({'main': t, 'a': 'A', 'b': 'B'}, ctx={}, undefined='strict') for t in E], 'c12 p4 errors')
