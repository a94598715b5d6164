#!/usr/bin/env python3
"""c13 d11: modules of templates that extend others (import of a child template, its string
form, exported names set inside if/for/blocks), includes of child templates in loops, and
the rendered module under each option."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

LIB = {
    'base': 'B[{% block a %}ba{% endblock %}]{% set bvar = "BV" %}{% macro bm() %}bm{% endmacro %}',
    'child': '{% extends "base" %}{% set cvar = "CV" %}{% macro cm(x=1) %}cm{{ x }}{{ cvar }}{% endmacro %}{% block a %}ca{{ super() }}{{ n|default("") }}{% endblock %}',
    'cond': '{% if flag %}{% set a = "A" %}{% else %}{% set a = "notA" %}{% endif %}{% for i in [1] %}{% set b = "B" %}{% endfor %}{% block blk %}{% set c = "C" %}{% endblock %}{% set _u = 1 %}{% macro m() %}M{% endmacro %}',
    'body': 'text {{ n|default("?") }} {% set e = "E" %}{{ e }}\n',
    'grand': '{% extends "child" %}{% block a %}ga{{ super() }}{% endblock %}',
}
T = [
    '{% import "child" as c %}[{{ c }}]|{{ c.cm() }}|{{ c.cvar }}|{{ c.bm is defined }}|{{ c.bvar is defined }}',
    '{% from "child" import cm, cvar %}{{ cm(2) }}{{ cvar }}',
    '{% from "child" import bm %}{{ bm() }}',
    '{% import "grand" as g %}[{{ g }}]{{ g.cm is defined }}',
    '{% import "cond" as c %}{{ c.a }}|{{ c.b is defined }}|{{ c.c is defined }}|{{ c._u is defined }}|{{ c.m() }}|[{{ c }}]',
    '{% import "cond" as c with context %}{{ c.a }}',
    '{% set flag = true %}{% import "cond" as c with context %}{{ c.a }}{% import "cond" as c2 %}{{ c2.a }}',
    '{% from "cond" import a, m %}{{ a }}{{ m() }}',
    '{% from "cond" import b %}{{ b }}',
    '{% import "body" as b %}[{{ b }}]{{ b.e }}{{ b|string|length }}',
    '{% import "body" as b %}{{ b.n is defined }}{{ b.missing is defined }}{{ b.e|upper }}',
    '{% for n in [1, 2] %}{% include "child" %};{% endfor %}',
    '{% for n in [1, 2] %}{% include "grand" %};{% endfor %}',
    '{% include "child" without context %}|{% include "grand" ignore missing %}',
    '{% extends "child" %}{% block a %}X{{ super() }}{% endblock %}',
    '{% extends "grand" %}',
    '{% import "child" as c %}{% import "child" as d %}{{ c.cm() == d.cm() }}{{ c.cvar ~ d.cvar }}',
    '{% macro use() %}{% import "child" as c %}{{ c.cm(5) }}{% endmacro %}{{ use() }}',
    '{% for i in [1, 2] %}{% import "body" as b %}{{ b.e }}{{ i }}{% endfor %}',
    '{% if true %}{% from "child" import cm %}{% endif %}{{ cm is defined }}',
    '{% block x %}{% from "child" import cm %}{{ cm() }}{% endblock %}{{ cm is defined }}',
    '{% import "body" as b %}{{ b is mapping }}{{ b is defined }}{{ b is callable }}{{ b|attr("e") }}',
]
cases = []
for t in T:
    for ctx in ({'n': 7, 'flag': False}, {}):
        for o in (dict(), dict(autoescape=True), dict(trim_blocks=True, lstrip_blocks=True), dict(undefined='strict')):
            cases.append(mk({'main': t, **LIB}, ctx=ctx, **o))
check(cases, 'c13_d11 modules')
