#!/usr/bin/env python3
"""A block nested in a call block's body inside a scoped block renders with the scoped
block's derived context (the caller, like a macro, closes over Jinja2's `context` there)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
L = {'base_s': '{% for i in [1, 2] %}{% block b scoped %}S{{ i }}{% endblock %}{% endfor %}',
     'base': '{% for i in [1, 2] %}{% block b %}S{{ i }}{% endblock %}{% endfor %}'}
T = ['{% extends "base_s" %}{% block b %}{% block q %}{{ loop.index }}{% endblock %}{% endblock %}',
     '{% extends "base_s" %}{% block b %}{% macro c() %}({{ caller() }}){% endmacro %}{% call c() %}{% block q %}{{ loop.index }}{{ i }}{% endblock %}{% endcall %}{% endblock %}',
     '{% extends "base" %}{% block b %}{% macro c() %}({{ caller() }}){% endmacro %}{% call c() %}{% block q %}{{ loop.index }}{{ i }}{% endblock %}{% endcall %}{% endblock %}',
     '{% extends "base_s" %}{% block b %}{% macro c() %}({{ caller() }}){% endmacro %}{% call c() %}{% block q scoped %}{{ i }}{% endblock %}{% endcall %}{% endblock %}',
     '{% extends "base_s" %}{% block b %}{% macro c() %}({{ caller() }}){% endmacro %}{% call c() %}{% call c() %}{% block q %}{{ i }}{% endblock %}{% endcall %}{% endcall %}{% endblock %}',
     '{% extends "base_s" %}{% block b %}{% macro c() %}({{ caller() }}){% endmacro %}{% call c() %}{{ i is defined }}{{ self.q() }}{% block q %}{{ i }}{% endblock %}{% endcall %}{% endblock %}',
     '{% extends "base_s" %}{% block b %}{% macro c() %}({{ caller() }}){% endmacro %}{% call c() %}{% block q %}{{ super() }}{% endblock %}{% endcall %}{% endblock %}',
     '{% for i in [1, 2] %}{% block b scoped %}{% macro c() %}({{ caller() }}){% endmacro %}{% call c() %}{% block q %}{{ i }}{% endblock %}{% endcall %}{% endblock %}{% endfor %}',
     '{% for i in [1, 2] %}{% block b scoped %}{% macro c() %}({{ caller() }}){% endmacro %}{% filter upper %}{% call c() %}{% block q %}{{ i }}{% endblock %}{% endcall %}{% endfilter %}{% endblock %}{% endfor %}',
     '{% extends "base_s" %}{% block b %}{% macro c() %}({{ caller() }}){% endmacro %}{% macro d() %}{% call c() %}{% block q %}{{ i }}{% endblock %}{% endcall %}{% endmacro %}{{ d() }}{% endblock %}']
check([mk(dict(L, main=t), ctx={}) for t in T] + [mk(dict(L, main=t), ctx={}, undefined='strict') for t in T], 'c12 p3 blocks in callers')
