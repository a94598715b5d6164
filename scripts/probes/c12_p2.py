#!/usr/bin/env python3
"""`{% include ... without context %}` is `yield from` in Jinja2's generated code: it writes
straight to the enclosing render function's output, past the buffer of a filter block or set
block around it (and turns a macro, call block or recursive loop body into a generator)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
L = {'inc': '[inc {{ x }}]', 'inc2': '{% for x in [7] %}<{{ x }}>{% endfor %}{% include "inc" %}'}
T = ['a{% filter upper %}b{% include "inc" without context %}c{% endfilter %}d',
     'a{% set v %}b{% include "inc" without context %}c{% endset %}d{{ v }}',
     '{% macro m() %}b{% include "inc" without context %}c{% endmacro %}a{{ m() }}d',
     '{% macro m() %}b{{ caller() }}c{% endmacro %}a{% call m() %}x{% include "inc" without context %}y{% endcall %}d',
     '{% for i in [1,2] %}{% include "inc" without context %}{% endfor %}',
     '{% block b %}q{% include "inc" without context %}{% endblock %}',
     '{% with a=1 %}{% include "inc" without context %}{% endwith %}',
     '{% for i in [1,2] recursive %}{% include "inc" without context %}{% endfor %}',
     '{% filter upper %}{% import "inc" as q %}{% endfilter %}',
     '{% filter upper %}{% include "nope" ignore missing without context %}{% endfilter %}',
     '{% filter upper %}{% include ["nope", "inc"] without context %}{% endfilter %}',
     '{% set v %}{% filter upper %}x{% include "inc" without context %}{% endfilter %}{% endset %}[{{ v }}]',
     '{% filter upper %}{% include "inc2" without context %}{% endfilter %}', '{% filter upper %}{% include "inc2" %}{% endfilter %}',
     '{% set v %}{% include "inc" %}{% endset %}{{ v }}', '{% filter upper %}{% for i in [1, 2] %}{{ i }}{% include "inc" without context %}{% endfor %}{% endfilter %}',
     '{% filter upper %}{% if x %}{% include "inc" without context %}{% endif %}{% endfilter %}',
     '{% filter upper %}{% with %}{% include "inc" without context %}{% endwith %}{% endfilter %}',
     '{% extends "base" %}{% block b %}{% filter upper %}q{% include "inc" without context %}{% endfilter %}{% endblock %}',
     '{% filter upper %}{% block b %}q{% include "inc" without context %}{% endblock %}{% endfilter %}',
     '{% filter upper %}{% filter lower %}Q{% include "inc" without context %}{% endfilter %}{% endfilter %}',
     '{% set v %}{% set w %}Q{% include "inc" without context %}{% endset %}{{ w }}{% endset %}[{{ v }}]',
     '{% set ns = namespace() %}{% set ns.v %}Q{% include "inc" without context %}{% endset %}[{{ ns.v }}]']
L['base'] = '<{% block b %}{% endblock %}>'
cases = []
for t in T:
    for ae in (False, True):
        d = dict(L); d['main'] = t
        cases.append(mk(d, ctx={'x': 'X'}, autoescape=ae))
check(cases, 'c12 p2 include without context in buffers')
