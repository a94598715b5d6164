#!/usr/bin/env python3
"""Thirteenth sweep, required blocks: Jinja2 checks `required` where the block statement
renders the block and nothing overrides it; `self.name()` and `super()` render its empty body."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
B = '{% block c %}{% endblock %}{% if false %}{% block a required %}{% endblock %}{% endif %}'
M = ['{% extends "b" %}', '{% extends "b" %}{% block c %}{{ self.a() }}{% endblock %}', '{% extends "b" %}{% block c %}{{ self.a() }}{% block a %}A{% endblock %}{% endblock %}',
     '{{ self.a() }}{% if false %}{% block a required %}{% endblock %}{% endif %}', '{% block a required %}{% endblock %}', '{% extends "b2" %}',
     '{% extends "b2" %}{% block a %}X{{ super() }}{% endblock %}', '{% extends "m" %}', '{% extends "m" %}{% block a %}C{{ super() }}{% endblock %}',
     '{% for i in [1] %}{% block a required %}{% endblock %}{% endfor %}', '{% extends "b2" %}{% for i in [1] %}{% block a required %}{% endblock %}{% endfor %}',
     '{% extends "b" %}{% block c %}{{ self.a()|length }}{{ self.a is defined }}{% endblock %}', '{{ self.a() }}|{% if x %}{% block a required %}{% endblock %}{% endif %}']
T = {'b': B, 'b2': '<{% block a required %}{% endblock %}>', 'm': '{% extends "b2" %}{% block a required %}{% endblock %}'}
check([mk(dict(T, main=m), ctx={'x': x}, undefined=u) for m in M for x in [0, 1] for u in ['default', 'strict']], 'c13 x3 required blocks')
