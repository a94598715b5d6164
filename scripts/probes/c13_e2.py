#!/usr/bin/env python3
"""Thirteenth sweep, errors: error classes (and lines of syntax/assertion errors) of faults in
macros, call blocks, imports, loops and includes, each placed in a second template reached by
include/import/extends; compile-time faults in a branch never taken still fail."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import conform_probe
conform_probe.CHECK_LINES = True
from conform_probe import mk, check
F = ['{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}', '{% macro m(a) %}{% endmacro %}{{ m(a=1, b=2) }}', '{% macro m(a) %}{% endmacro %}{{ m(1, a=1) }}',
     '{% macro m() %}{% endmacro %}{{ m(caller=1) }}', '{% macro m() %}{{ caller() }}{% endmacro %}{{ m(caller=1) }}', '{% macro m() %}{{ caller }}{% endmacro %}{{ m() }}',
     '{% macro m() %}{% endmacro %}{% call m() %}{% endcall %}', '{% macro m() %}{% endmacro %}{% call(x) m() %}{% endcall %}', '{% macro m() %}{{ caller(1, 2) }}{% endmacro %}{% call(x) m() %}{% endcall %}',
     '{% macro m() %}{{ caller(y=1) }}{% endmacro %}{% call(x) m() %}{% endcall %}', '{% macro m() %}{{ caller(x=1) }}{% endmacro %}{% call(x) m() %}{{ x }}{% endcall %}',
     '{% macro m(a, b) %}{{ a }}{% endmacro %}{{ m(1) }}', '{% macro m(a, b) %}{{ b + 1 }}{% endmacro %}{{ m(1) }}', '{% macro m(a, b) %}{{ b.x }}{% endmacro %}{{ m(1) }}',
     '{% macro m() %}{{ varargs[5] }}{% endmacro %}{{ m(1) }}', '{% macro m() %}{{ kwargs.x.y }}{% endmacro %}{{ m(z=1) }}', '{% macro m(x) %}{{ m(x) }}{% endmacro %}{{ m(1) }}',
     '{% macro m() %}{% endmacro %}{{ m.nope }}', '{% macro m() %}{% endmacro %}{{ m.nope.x }}', '{% macro m() %}{% endmacro %}{{ m() + 1 }}', '{% macro m() %}x{% endmacro %}{{ m() - 1 }}',
     '{% for x in [1] recursive %}{{ loop([1], 2) }}{% endfor %}', '{% for x in [1] recursive %}{{ loop(5) }}{% endfor %}', '{% for x in [1] %}{{ loop.cycle() }}{% endfor %}',
     '{% for x in [1] %}{{ loop.changed() }}{% endfor %}x', '{% for x in 1 %}{% endfor %}', '{% for x in none %}{% endfor %}', '{% for x, y in [1] %}{% endfor %}',
     '{% for x, y in ["abc"] %}{% endfor %}', '{% for x in [1] %}{% set loop = 1 %}{% endfor %}', '{% set a, b, c = "ab" %}', '{% set a, b = "ab" %}{{ a }}{{ b }}',
     '{% with a, b = (1,) %}{% endwith %}', '{% with a = 1, b = a %}{{ b }}{% endwith %}', '{{ range(10**5)|list|length }}',
     '{{ x|int(base=37) }}', '{{ "1"|int(base=37) }}', '{{ [1, "a"]|sort }}', '{{ [1, "a"]|max }}', '{{ [[1], 2]|unique|list }}', '{{ [{}]|unique|list }}', '{{ {}|dictsort(by="x") }}',
     '{{ [1]|groupby("x") }}', '{{ [1]|map(attribute="x")|list }}', '{{ [1]|selectattr("x")|list }}', '{{ [1]|sum(attribute="x") }}', '{{ "x"|truncate(-1) }}', '{{ "x"|indent(none) }}',
     '{{ "%s %s"|format(1) }}', '{{ "%(a)s"|format(1) }}', '{{ "{0}"|format }}', '{{ "{}".format() }}', '{{ "{x}".format(y=1) }}', '{{ "{0!z}".format(1) }}',
     '{{ 1|batch(2) }}', '{{ [1]|slice(0)|list }}', '{{ "ab"|wordwrap(-1) }}', '{{ "abc"|center("x") }}', '{{ 1|round("x") }}', '{{ 1|round(1, "x") }}',
     '{{ none|length }}', '{{ 1|length }}', '{{ 1|first }}', '{{ 1|list }}', '{{ none|list }}', '{{ 5|reverse }}', '{{ {}|random }}', '{{ []|random }}',
     '{{ 1|attr(1) }}', '{{ {1: 2}|xmlattr }}', '{{ {"a b": 1}|xmlattr }}', '{{ none|tojson(indent="x") }}', '{{ {(1, 2): 1}|tojson }}', '{{ [1]|join(attribute="x") }}',
     '{{ namespace(a=1).b }}', '{% set ns = namespace() %}{% set ns.a.b = 1 %}', '{{ cycler().next() }}', '{{ joiner()() }}{{ joiner(1)() }}', '{{ range(1, 2, 3, 4) }}',
     '{{ dict(1, 2) }}', '{{ lipsum(n="x") }}', '{{ self }}', '{{ self.x }}', '{{ self.x() }}', '{{ self["x"] }}', '{{ super() }}', '{{ varargs }}', '{{ kwargs }}']
cases = []
for f in F:
    hosts = [{'main': 'a\nb\n' + f}, {'main': '{% include "i" %}', 'i': '\n\n' + f}, {'main': '{% import "i" as I %}{{ I.q() }}', 'i': '{% macro q() %}\n' + f + '{% endmacro %}'},
             {'main': '{% extends "i" %}{% block b %}\n{{ super() }}{% endblock %}', 'i': '{% block b %}\n\n' + f + '{% endblock %}'},
             {'main': '{% if false %}{% include "i" %}{% endif %}x', 'i': f}]
    for h in hosts:
        cases.append(mk(h, ctx={'x': 'X'}))
        cases.append(mk(h, ctx={'x': 'X'}, undefined='strict'))
check(cases, 'c13 e2 errors in a second template')
