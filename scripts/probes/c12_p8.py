#!/usr/bin/env python3
"""A macro call's result is Markup by Jinja2's run-time eval context (`context.eval_ctx`, which
every {% autoescape %} block sets while it runs, macro calls inside included), not by the
setting of the code the call is in: `caller()` or a nested macro called from a macro defined
outside an `{% autoescape false %}` block returns a plain string that the macro escapes."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = ['{% macro m() %}[{{ caller() }}]{% endmacro %}{% autoescape false %}{% call m() %}<b>{{ x }}{% endcall %}{% endautoescape %}',
     '{% macro m() %}[{{ caller() }}]{% endmacro %}{% autoescape true %}{% call m() %}<b>{{ x }}{% endcall %}{% endautoescape %}',
     '{% macro i() %}<i>{% endmacro %}{% macro m() %}[{{ i() }}]{% endmacro %}{% autoescape false %}{{ m() }}{% endautoescape %}',
     '{% macro i() %}<i>{% endmacro %}{% macro m() %}[{{ i() }}]{% endmacro %}{% autoescape true %}{{ m() }}{% endautoescape %}',
     '{% from "lib" import m %}{% autoescape false %}{{ m() }}{% endautoescape %}', '{% autoescape false %}{% include "inc" %}{% endautoescape %}',
     '{% autoescape false %}{% import "lib" as l %}{% endautoescape %}{{ l.m() }}', '{% autoescape false %}{% from "lib" import m %}{{ m() }}{{ m()|e }}{% endautoescape %}',
     '{% macro i() %}<i>{% endmacro %}{% autoescape false %}{{ i() ~ "<" }}{% set v %}{{ i() }}{% endset %}{{ v }}{% endautoescape %}',
     '{% macro i() %}<i>{% endmacro %}{% macro m() %}{% autoescape false %}{{ i() }}{% endautoescape %}|{{ i() }}{% endmacro %}{{ m() }}',
     '{% extends "base" %}{% macro i() %}<i>{% endmacro %}{% block b %}{% autoescape false %}{{ i() }}{{ self.c() }}{% endautoescape %}{% endblock %}',
     '{% macro m() %}[{{ caller() }}]{% endmacro %}{% autoescape ae %}{% call m() %}<b>{{ x }}{% endcall %}{% endautoescape %}',
     '{% macro i() %}<i>{% endmacro %}{% macro m() %}[{{ i() }}{{ caller() }}]{% endmacro %}{% autoescape false %}{% call m() %}{{ i() }}{% endcall %}{{ m(caller=i) }}{% endautoescape %}',
     '{% macro i() %}<i>{% endmacro %}{% autoescape false %}{% macro m() %}[{{ i() }}]{% endmacro %}{% endautoescape %}{{ m() }}',
     '{% macro i() %}<i>{% endmacro %}{% autoescape false %}{% filter upper %}{{ i() }}{% endfilter %}{% endautoescape %}']
L = {'lib': '{% macro m() %}<{{ "&" }}{{ caller() if caller }}>{% endmacro %}', 'inc': '{% macro q() %}<q>{% endmacro %}[{{ q() }}]',
     'base': '{% block b %}{% endblock %}{% block c %}<c>{% endblock %}'}
check([mk(dict(L, main=t), ctx={'x': '<&>', 'ae': ae}, autoescape=g) for t in T for g in (True, False) for ae in (True, False)], 'c12 p8 macro results and the run-time eval context')
