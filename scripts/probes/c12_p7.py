#!/usr/bin/env python3
"""Autoescape across macros, includes, imports, blocks, call and filter blocks, constant and
volatile {% autoescape %} blocks, Markup through set blocks and filters."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
L = {'inc': '{{ x }}|{{ "<i>" }}', 'lib': '{% macro m(a) %}<{{ a }}{{ x|default("-") }}>{% endmacro %}{% set top = "<t>" %}',
     'base': '{% block b %}<{{ x }}>{% endblock %}'}
T = ['{% autoescape false %}{% include "inc" %}{% endautoescape %}', '{% autoescape true %}{% include "inc" %}{% endautoescape %}',
     '{% autoescape ae %}{% include "inc" %}{{ x }}{% endautoescape %}', '{% import "lib" as l %}{{ l.m(x) }}{{ l.top }}',
     '{% autoescape false %}{% import "lib" as l %}{{ l.m(x) }}{% endautoescape %}', '{% autoescape ae %}{% from "lib" import m %}{{ m(x) }}{% endautoescape %}',
     '{% from "lib" import m %}{% autoescape false %}{{ m(x) }}{% endautoescape %}', '{% autoescape false %}{% from "lib" import m %}{% endautoescape %}{{ m(x) }}',
     '{% macro q(a) %}{{ a }}{% endmacro %}{% autoescape ae %}{{ q(x) }}{% endautoescape %}{{ q(x) }}', '{% autoescape ae %}{% macro q(a) %}{{ a }}{% endmacro %}{% endautoescape %}{{ q(x) }}',
     '{% extends "base" %}{% block b %}{% autoescape ae %}{{ x }}{{ super() }}{% endautoescape %}{% endblock %}', '{% autoescape ae %}{% block c %}{{ x }}{% endblock %}{% endautoescape %}',
     '{% autoescape ae %}{% set v %}{{ x }}{% endset %}{% endautoescape %}{{ v }}|{{ v|e }}', '{% autoescape ae %}{% filter upper %}{{ x }}{% endfilter %}{% endautoescape %}',
     '{% macro c() %}[{{ caller() }}]{% endmacro %}{% autoescape ae %}{% call c() %}{{ x }}{% endcall %}{% endautoescape %}', '{% autoescape ae %}{{ x ~ "<" }}{{ "<" ~ "&" }}{% endautoescape %}',
     '{% autoescape ae %}{{ "<"|safe ~ x }}{{ x|safe }}{{ x|e }}{% endautoescape %}', '{% autoescape ae %}{{ [x] }}{{ {"k": x} }}{{ (x,) }}{% endautoescape %}',
     '{% autoescape ae %}{{ x|replace("&", "+") }}{{ x|join(",") }}{{ x|format }}{% endautoescape %}', '{% autoescape not ae %}{{ x }}{% endautoescape %}',
     '{% autoescape ae %}{% autoescape not ae %}{{ x }}{% endautoescape %}{{ x }}{% endautoescape %}', '{% autoescape none %}{{ x }}{% endautoescape %}',
     '{% autoescape "yes" %}{{ x }}{% endautoescape %}', '{% autoescape ae %}{{ 1 ~ "<" }}{{ "<" if ae }}{{ "%s"|format("<") }}{% endautoescape %}',
     '{% set ns = namespace(v="<") %}{% autoescape ae %}{{ ns.v }}{% set ns.v %}{{ x }}{% endset %}{{ ns.v }}{% endautoescape %}{{ ns.v }}',
     '{% autoescape ae %}{% for c in x %}{{ c }}{{ loop.cycle("<", ">") }}{% endfor %}{% endautoescape %}', '{% autoescape ae %}{{ x|tojson }}{{ x|urlencode }}{% endautoescape %}',
     '{% autoescape ae %}{{ x|indent }}{{ x|wordwrap(2) }}{{ x|center(9) }}{{ x|truncate(5) }}{% endautoescape %}', '{% autoescape ae %}{{ x|striptags }}{{ x|title }}{{ x|list }}{% endautoescape %}']
cases = [mk(dict(L, main=t), ctx={'x': '<&>', 'ae': ae}, autoescape=g) for t in T for ae in (True, False) for g in (True, False)]
check(cases, 'c12 p7 autoescape across templates')
