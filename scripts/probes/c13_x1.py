#!/usr/bin/env python3
"""Thirteenth sweep, runtime behaviour across templates: context vs template-level set vs loop
variables seen by included/imported templates (with/without context), cached imports, `{% from %}`
of missing or private names, caller/varargs/kwargs through imports, self/super chains three
deep, scoped blocks in loops, required blocks, and errors raised inside them."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import conform_probe
conform_probe.CHECK_LINES = True
from conform_probe import mk, check
U = ['default', 'strict', 'chainable', 'debug']
LIB = ('{% set lv = "L" ~ (g|default("-")) %}{% macro show() %}[{{ g|default("nog") }}|{{ lv }}|{{ i|default("noi") }}|{{ t|default("not") }}]{% endmacro %}'
       '{% macro cv(a, b=2) %}<{{ a }}{{ b }}{{ varargs }}{{ kwargs }}{{ caller(a) if caller is defined else "" }}>{% endmacro %}'
       '{% macro _priv() %}P{% endmacro %}{% set counter = namespace(n=0) %}{% macro bump() %}{% set counter.n = counter.n + 1 %}{{ counter.n }}{% endmacro %}')
INC = '({{ g|default("nog") }}|{{ t|default("not") }}|{{ i|default("noi") }}|{{ loop.index|default("nol") }}|{{ lv|default("nolv") }})'
M = [
    '{% set t = "T" %}{% include "inc" %}', '{% set t = "T" %}{% include "inc" without context %}', '{% for i in [1, 2] %}{% include "inc" %}{% endfor %}',
    '{% for i in [1, 2] %}{% include "inc" without context %}{% endfor %}', '{% with t = 5 %}{% include "inc" %}{% endwith %}',
    '{% macro mm(t) %}{% include "inc" %}{% endmacro %}{{ mm(7) }}', '{% import "lib" as L %}{{ L.show() }}', '{% set t = 1 %}{% import "lib" as L with context %}{{ L.show() }}',
    '{% for i in [1, 2] %}{% import "lib" as L with context %}{{ L.show() }}{% endfor %}', '{% for i in [1, 2] %}{% from "lib" import show with context %}{{ show() }}{% endfor %}',
    '{% from "lib" import show %}{% set t = 1 %}{{ show() }}', '{% import "lib" as L %}{{ L.lv }}', '{% import "lib" as L %}{{ L.t }}', '{% import "lib" as L %}{{ L.counter.n }}',
    '{% import "lib" as L %}{% import "lib" as M %}{{ L.bump() }}{{ M.bump() }}{{ L.bump() }}', '{% import "lib" as L with context %}{% import "lib" as M with context %}{{ L.bump() }}{{ M.bump() }}',
    '{% from "lib" import bump %}{% from "lib" import bump as b2 %}{{ bump() }}{{ b2() }}', '{% from "lib" import nope %}', '{% from "lib" import nope %}{{ nope }}',
    '{% from "lib" import nope %}{{ nope() }}', '{% from "lib" import _priv %}', '{% from "lib" import show, nope as n2 %}{{ show() }}{{ n2 is defined }}',
    '{% import "lib" as L %}{{ L._priv() }}', '{% import "lib" as L %}{{ L.nope }}', '{% import "lib" as L %}{{ L.nope() }}', '{% import "lib" as L %}{{ L.nope.x }}',
    '{% from "lib" import cv %}{{ cv(1, 2, 3, k=4) }}', '{% from "lib" import cv %}{% call(x) cv(1) %}c{{ x }}{% endcall %}', '{% import "lib" as L %}{% call(x) L.cv(1, 2, 3) %}{{ x }}{% endcall %}',
    '{% from "lib" import cv %}{{ cv() }}', '{% from "lib" import cv %}{{ cv(1, a=2) }}', '{% from "lib" import cv %}{{ cv(1, c=3) }}', '{% from "lib" import cv as c %}{{ c.name }}|{{ c.arguments }}|{{ c.catch_kwargs }}|{{ c.catch_varargs }}|{{ c.caller }}',
    '{% import "lib" as L %}{{ L }}', '{% import "lib" as L %}{{ L|list }}', '{% import "lib" as L %}{{ L.show }}', '{% import "lib" as L %}{{ L is mapping }}',
    '{% set g = "local" %}{% include "inc" %}{% import "lib" as L with context %}{{ L.show() }}', '{% include "lib" %}{{ show is defined }}', '{% include "lib" %}{{ lv is defined }}',
    '{% include ["nope", "inc"] %}', '{% include ("nope", "inc") %}', '{% include "nope" ignore missing %}x', '{% include ["nope", "nope2"] %}', '{% include [] %}', '{% include [] ignore missing %}x',
    '{% import "nope" as N %}', '{% from "nope" import a %}', '{% extends "nope" %}', '{% extends ["nope", "base"] %}', '{% extends none %}x', '{% include none %}',
    '{% set tpl = "inc" %}{% include tpl %}', '{% include "in" ~ "c" %}', '{% import "lib" as L %}{% include "inc" %}{{ L.show() }}',
]
cases = []
for m in M:
    for u in U:
        cases.append(mk({'main': m, 'lib': LIB, 'inc': INC, 'base': 'B{% block b %}{% endblock %}'}, ctx={'g': 'G'}, undefined=u))
# inheritance: three-deep self/super chains, scoped blocks in loops, required blocks
B3 = {'base': '<{% block a %}A0{% endblock %}|{% block b %}B0{{ self.a() }}{% endblock %}|{% for i in [1, 2] %}{% block s scoped %}s{{ i }}{% endblock %}{% endfor %}|{% block r required %}{% endblock %}>',
      'mid': '{% extends "base" %}{% block a %}A1({{ super() }}){% endblock %}{% block r %}R1{% endblock %}'}
C = ['{% extends "mid" %}', '{% extends "mid" %}{% block a %}A2({{ super() }}){% endblock %}', '{% extends "mid" %}{% block a %}A2({{ super.super() }}){% endblock %}',
     '{% extends "mid" %}{% block a %}A2{{ super()|upper }}{% endblock %}{% block s %}S{{ i }}{{ super() }}{% endblock %}', '{% extends "mid" %}{% block s %}{{ i|default("noi") }}{% endblock %}',
     '{% extends "base" %}', '{% extends "base" %}{% block r %}{{ super() }}{% endblock %}', '{% extends "mid" %}{% block r %}R2{{ super() }}{% endblock %}',
     '{% extends "mid" %}{% block b %}{{ self.b is defined }}{{ self.r() }}{{ self.nope is defined }}{% endblock %}', '{% extends "mid" %}{% block b %}{{ self.nope() }}{% endblock %}',
     '{% extends "mid" %}{% block b %}{{ super()() }}{% endblock %}', '{% extends "mid" %}{% block b %}{{ super().x }}{% endblock %}', '{% extends "mid" %}{% block a %}{{ super(1) }}{% endblock %}',
     '{% extends "mid" %}{% block a %}{% for i in [1] %}{{ super() }}{{ loop.index }}{% endfor %}{% endblock %}', '{% extends "mid" %}{% block a %}{% macro q() %}{{ super() }}{% endmacro %}{{ q() }}{% endblock %}',
     '{% extends "mid" %}{% block a %}{{ self.a is callable }}{% endblock %}', '{% extends "mid" %}{% block a %}{{ self }}{% endblock %}',
     '{% extends "mid" %}{% set x = 1 %}{% block a %}{{ x|default("nox") }}{% endblock %}', '{% extends "mid" %}{% block a required %}{% endblock %}',
     '{% extends "mid" %}{% block s scoped %}[{{ i }}]{% endblock %}', '{% extends "mid" %}{% block s %}{% block inner %}in{{ i }}{% endblock %}{% endblock %}',
     '{% extends "mid" %}{% block a %}{% include "inc" %}{% endblock %}', '{% extends "mid" %}{% block s %}{% include "inc" %}{% endblock %}',
     '{% extends "mid" %}{% block a %}{{ 1 / 0 }}{% endblock %}', '{% extends "mid" %}{% block a %}{{ u.x }}{% endblock %}', '{% extends "mid" %}{% block a %}{{ x|nosuch }}{% endblock %}',
     '{% extends "mid" %}{% block b %}{{ u + 1 }}{% endblock %}{% block a %}{{ super() }}{% endblock %}', '{% extends "mid" %}text outside{% block a %}A{% endblock %}',
     '{% extends "mid" %}{% if true %}{% block a %}A{% endblock %}{% endif %}', '{% extends "mid" %}{% for q in [1] %}{% block a %}A{{ q }}{% endblock %}{% endfor %}']
for c in C:
    for u in U:
        t = dict(B3); t['main'] = c; t['inc'] = INC
        cases.append(mk(t, ctx={'g': 'G'}, undefined=u))
# required block that is rendered / not rendered; blocks defined twice across templates
R = [{'main': '{% block r required %}{% endblock %}'}, {'main': '{% extends "b" %}', 'b': '{% block r required %}{% endblock %}'},
     {'main': '{% extends "b" %}{% block r %}R{% endblock %}', 'b': '{% if false %}{% block r required %}{% endblock %}{% endif %}x'},
     {'main': '{% extends "b" %}', 'b': '{% if false %}{% block r required %}{% endblock %}{% endif %}x'},
     {'main': '{% block r required %}{# c #}\n  {% endblock %}'}, {'main': '{% block r required %}x{% endblock %}'}, {'main': '{% block r required %}{{ 1 }}{% endblock %}'},
     {'main': '{% extends "b" %}{% block r %}{{ super() }}{% endblock %}', 'b': '{% block r required %}{% endblock %}'},
     {'main': '{% extends "m" %}', 'm': '{% extends "b" %}{% block r %}M{% endblock %}', 'b': '{% block r required %}{% endblock %}'},
     {'main': '{% extends "m" %}{% block r %}C{{ super() }}{% endblock %}', 'm': '{% extends "b" %}', 'b': '{% block r required %}{% endblock %}'},
     {'main': '{{ self.r() }}{% block r required %}{% endblock %}'}, {'main': '{% include "b" %}', 'b': '{% block r required %}{% endblock %}'},
     {'main': '{% import "b" as B %}x', 'b': '{% block r required %}{% endblock %}'}, {'main': '{% extends "b" %}{% block r %}{% block r %}{% endblock %}{% endblock %}', 'b': ''},
     {'main': '{% extends "b" %}{% extends "b" %}', 'b': 'B'}, {'main': 'x{% extends "b" %}', 'b': 'B'}, {'main': '{% if true %}{% extends "b" %}{% endif %}', 'b': 'B'},
     {'main': '{% for i in [1] %}{% extends "b" %}{% endfor %}', 'b': 'B'}, {'main': '{% macro m() %}{% extends "b" %}{% endmacro %}', 'b': 'B'},
     {'main': '{% extends "b" %}{% extends "c" %}', 'b': 'B', 'c': 'C'}, {'main': '{% if x %}{% extends "b" %}{% else %}{% extends "c" %}{% endif %}', 'b': 'B', 'c': 'C'},
     {'main': '{% extends "main" %}'}, {'main': '{% extends "b" %}', 'b': '{% extends "main" %}'}, {'main': '{% include "main" %}'}]
for t in R:
    for u in ['default', 'strict']:
        cases.append(mk(t, ctx={'x': 1}, undefined=u))
check(cases, 'c13 x1 across templates')
