#!/usr/bin/env python3
"""Thirteenth sweep, runtime across templates: what the root of an extending template still
renders. Jinja2 drops output nodes anywhere in the root after `{% extends %}` (and blocks of
toplevel frames: the root and its if branches), but renders the blocks inside for loops, with,
filter and autoescape blocks (inner frames), and includes and call blocks everywhere."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
W = ['{%% for q in [1, 2] %%}%s{%% endfor %%}', '{%% for q in [] %%}{%% else %%}%s{%% endfor %%}', '{%% with q = 1 %%}%s{%% endwith %%}', '{%% filter upper %%}%s{%% endfilter %%}',
     '{%% set v %%}%s{%% endset %%}', '{%% set v %%}%s{%% endset %%}[{{ v }}]', '{%% macro m() %%}%s{%% endmacro %%}', '{%% macro m() %%}%s{%% endmacro %%}{{ m() }}',
     '{%% macro m() %%}({{ caller() }}){%% endmacro %%}{%% call m() %%}%s{%% endcall %%}', '{%% autoescape true %%}%s{%% endautoescape %%}', '{%% if true %%}%s{%% endif %%}',
     '{%% if true %%}{%% for q in [1] %%}%s{%% endfor %%}{%% endif %%}', '{%% for q in [1] %%}{%% if true %%}%s{%% endif %%}{%% endfor %%}', '{%% block o %%}%s{%% endblock %%}',
     '{%% for q in [1] %%}{%% block o %%}%s{%% endblock %%}{%% endfor %%}', '{%% with %%}{%% filter lower %%}%s{%% endfilter %%}{%% endwith %%}']
BODY = ['{% block a %}A{{ q }}{% endblock %}', 't{{ q }}{% block a %}A{% endblock %}', '{% block a %}A{% endblock %}{% block n %}N{% endblock %}', 'text only', '{% block a scoped %}A{{ q }}{% endblock %}']
cases = []
for w in W:
    for b in BODY:
        for pos in ['pre', 'post', 'both']:
            inner = w % b
            if pos == 'pre': t = '{% extends "base" %}' + inner
            elif pos == 'post': t = inner + '{% extends "base" %}'
            else: t = 'x{% if e %}{% extends "base" %}{% endif %}' + inner
            for e in [True, False]:
                cases.append(mk({'main': t, 'base': '<{% block a %}a{% endblock %}|{% block o %}o{% endblock %}>'}, ctx={'e': e}))
check(cases, "c13 x2 blocks in inner frames of an extending root")
B = {'base':'<{% block a %}a{% endblock %}>','x':'X{{ i|default("") }}'}
M = ['{% extends "base" %}{% include "x" %}','{% extends "base" %}{% macro m() %}M{{ caller() }}{% endmacro %}{% call m() %}c{% endcall %}','{% extends "base" %}{% filter upper %}t{% endfilter %}',
 '{% extends "base" %}{% filter replace("", "Z") %}t{% endfilter %}', '{% extends "base" %}{% set v %}sv{% block a %}A{% endblock %}{% endset %}{{ v }}',
 '{% extends "base" %}{% for i in [1] %}{% set v %}sv{% endset %}{% include "x" %}{% endfor %}','{% extends "base" %}{% import "x" as q %}{% from "x" import a %}',
 '{% extends "base" %}{% autoescape true %}{% block a %}A{% endblock %}{% endautoescape %}', '{% extends "base" %}{% with %}{% include "x" %}{% endwith %}','{% extends "base" %}{{ self.a() }}',
 '{% include "x" %}{% extends "base" %}{% include "x" %}', '{% if e %}{% extends "base" %}{% endif %}{% include "x" %}', '{% if e %}{% extends "base" %}{% endif %}{% macro m() %}M{% endmacro %}{% call m() %}{% endcall %}',
 '{% if e %}{% extends "base" %}{% endif %}{% filter replace("", "Z") %}t{% endfilter %}', '{% extends "base" %}{% if true %}{% include "x" %}{% endif %}',
 '{% extends "base" %}{% set v %}{% include "x" %}{% endset %}{{ v }}', '{% extends "base" %}{% macro m() %}{% include "x" %}{% endmacro %}{% set v = m() %}{% block a %}{{ v }}{% endblock %}',
 '{% extends "base" %}{% set v %}t{% endset %}{% block a %}[{{ v }}]{% endblock %}', '{% extends "base" %}{% filter upper %}{% include "x" %}{% endfilter %}',
 '{% extends "base" %}{% macro m() %}M{{ caller() }}{% endmacro %}{% call m() %}{% include "x" %}c{% block a %}A{% endblock %}{% endcall %}',
 '{% extends "base" %}{% include "x" ignore missing %}{% include "nope" ignore missing %}', '{% extends "base" %}{% include ["nope", "x"] %}',
 '{% extends "base" %}{% for i in [1, 2] %}{% include "x" %}{% endfor %}', '{% extends "base" %}{% for i in [1, 2] %}{% include "x" without context %}{% endfor %}']
check([mk(dict(B, main=m), ctx={'e': e}) for m in M for e in [True, False]], 'c13 x2 output of an extending root')
