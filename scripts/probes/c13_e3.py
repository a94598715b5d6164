#!/usr/bin/env python3
"""Thirteenth sweep, errors of globals and filters with bad arguments: lipsum's n/min/max
(Jinja2's range() and randrange() errors; the text itself is random and skipped), join's
separator and value both undefined (which one Jinja2 names)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = ['{{ lipsum(n="x") }}', '{{ lipsum(n=1.0) }}', '{{ lipsum(n=none) }}', '{{ lipsum(0) }}', '{{ lipsum(-1) }}', '{{ lipsum(0, min="x") }}', '{{ lipsum(1, min="x") }}',
     '{{ lipsum(1, min=5, max=5) }}', '{{ lipsum(1, min=9, max=5) }}', '{{ lipsum(0, min=9, max=5) }}', '{{ lipsum(1, max=none) }}', '{{ lipsum(u) }}', '{{ lipsum(1, False, u) }}',
     '{{ lipsum(1, min=2.5) }}', '{{ lipsum(true, min=1, max=2)|length > 0 }}', '{{ lipsum(2, false, 1, 2)|wordcount }}', '{{ lipsum(n=[]) }}', '{{ lipsum(1, 2, 3, 4, 5) }}',
     '{{ u|join(v) }}', '{{ l|join(v) }}', '{{ u|join(",") }}', '{{ u|join(v, attribute="x") }}', '{{ [1]|join(v, attribute="x") }}', '{{ 5|join(v) }}', '{{ 5|join(",") }}']
check([mk(t, ctx={'l': [1]}, undefined=u, autoescape=a) for t in T for u in ['default', 'strict', 'chainable', 'debug'] for a in [False, True]], 'c13 e3 lipsum and join')
