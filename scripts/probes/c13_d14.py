#!/usr/bin/env python3
"""c13 d14: Python's limits: recursion depth of macros, call blocks, recursive loops,
self.block(), includes and extends chains near Jinja2's limits (1000 frames); integers past
Python's 4300-digit str conversion limit; containers nested hundreds of levels deep (repr,
tojson, pprint). Known remaining differences (scripts/probes/README.md): the digit limit and
deep nesting; boundaries themselves move by a frame or two with the caller's stack depth
(the probe runs Jinja2 in a worker thread), so probes stay a few levels clear of them."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

T = []
for k in (100, 190, 205, 240, 255, 300):
    T.append('{%% macro f(n) %%}{%% if n %%}{{ f(n - 1) }}{%% else %%}end{%% endif %%}{%% endmacro %%}{{ f(%d) }}' % k)
    T.append('{%% macro f(n) %%}{%% if n %%}{%% call f(n - 1) %%}{%% endcall %%}{%% endif %%}{{ caller() if caller }}{%% endmacro %%}[{{ f(%d) }}]' % k)
    T.append('{%% for x in [%d] recursive %%}{%% if x > 0 %%}{{ loop([x - 1]) }}{%% else %%}end{%% endif %%}{%% endfor %%}' % k)
    T.append('{%% set ns = namespace(n=%d) %%}{%% block b %%}{%% if ns.n > 0 %%}{%% set ns.n = ns.n - 1 %%}{{ self.b() }}{%% else %%}end{%% endif %%}{%% endblock %%}' % k)
    T.append({'main': "{%% macro f(n) %%}{%% if n %%}{%% include 'r' %%}{%% endif %%}{%% endmacro %%}[{{ f(%d) }}]" % k, 'r': '{{ f(n - 1) }}'})
for k in (500, 900, 1100):
    T.append({'main': "{%% set ns = namespace(n=%d) %%}{%% include 'r' %%}" % k, 'r': "{% if ns.n > 0 %}{% set ns.n = ns.n - 1 %}{% include 'r' %}{% else %}end{% endif %}"})
for k in (500, 960, 985):
    t = {'main': '{% extends "t1" %}'}
    for i in range(1, k):
        t['t%d' % i] = '{%% extends "t%d" %%}' % (i + 1)
    t['t%d' % k] = '{% block b %}end{% endblock %}'
    T.append(t)
# integers past 4300 digits, containers nested deep (known differences)
T += ['{{ 10 ** 4299 }}', '{{ 10 ** 4300 }}', '{{ ("1" * 4301)|int }}', '{{ (10 ** 5000) ~ "" }}', '{{ "%d"|format(10 ** 5000) }}',
      '{{ (10 ** 5000)|tojson|length }}', '{{ (10 ** 5000)|pprint|length }}', '{{ [10 ** 5000]|length }}']
for n in (100, 400, 600, 1000):
    pre = '{%% set ns = namespace(l=[]) %%}{%% for i in range(%d) %%}{%% set ns.l = [ns.l] %%}{%% endfor %%}' % n
    T += [pre + '{{ %s }}' % e for e in ('ns.l|string|length', 'ns.l|tojson|length', 'ns.l|pprint|length', 'ns.l == ns.l')]
check([mk(t) for t in T], 'c13_d14 limits')
