#!/usr/bin/env python3
"""Thirteenth sweep, errors: where an unknown filter or test fails at compile time (an inner
frame: for/with/filter/set blocks, macros, call blocks, blocks, autoescape) and where only at
run time (a soft frame: `if` branches and conditional expressions), and which of two faults is
reported first (Jinja2 visits a filter or set block's body before its filter)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import conform_probe
conform_probe.CHECK_LINES = True
from conform_probe import mk, check
F = ['{{ x|nosuch }}', '{{ x is nosuch }}', '{% filter nosuch %}f{% endfilter %}', '{% set v | nosuch %}f{% endset %}', '{% autoescape x|nosuch %}a{% endautoescape %}',
     '{% autoescape x is nosuch %}a{% endautoescape %}', '{% for i in l|nosuch %}{% endfor %}', '{% for i in l if i is nosuch %}{% endfor %}', '{% with a = x|nosuch %}{% endwith %}',
     '{% include x|nosuch %}', '{% set v = x|nosuch %}', '{{ m(x|nosuch) }}', '{% call m(x|nosuch) %}{% endcall %}', '{% call(a=x|nosuch) m() %}{% endcall %}',
     '{% macro q(a=x|nosuch) %}{% endmacro %}', '{% filter upper(x|nosuch) %}{% endfilter %}', '{% set ns.a = x|nosuch %}', '{{ (x|nosuch) if x }}', '{% do x|nosuch %}']
W = ['{}', '{%% if false %%}\n%s{%% endif %%}', '{%% if x %%}{%% else %%}\n%s{%% endif %%}', '{%% if false %%}{%% for i in l %%}\n%s{%% endfor %%}{%% endif %%}',
     '{%% if false %%}{%% with %%}\n%s{%% endwith %%}{%% endif %%}', '{%% if false %%}{%% filter upper %%}\n%s{%% endfilter %%}{%% endif %%}',
     '{%% if false %%}{%% set c %%}\n%s{%% endset %%}{%% endif %%}', '{%% if false %%}{%% autoescape true %%}\n%s{%% endautoescape %%}{%% endif %%}',
     '{%% if false %%}{%% macro mm() %%}\n%s{%% endmacro %%}{%% endif %%}', '{%% if false %%}{%% call m() %%}\n%s{%% endcall %%}{%% endif %%}',
     '{%% if false %%}{%% block b %%}\n%s{%% endblock %%}{%% endif %%}', '{{ 1 if false else (0 if true else 2) }}{%% if x %%}{%% if false %%}\n%s{%% endif %%}{%% endif %%}']
pre = '{% macro m(a=1) %}{{ caller() if caller }}{% endmacro %}{% set ns = namespace() %}'
cases = []
for w in W:
    for f in F:
        t = pre + (w % f if '%s' in w else f)
        cases.append(mk(t, ctx={'x': 'X', 'l': [1]}))
        cases.append(mk(t, ctx={'x': 'X', 'l': [1]}, autoescape=True))
O = ['{%% filter %s %%}\n{{ x|nosuch2 }}{%% endfilter %%}', '{%% set v | %s %%}\n{{ x|nosuch2 }}{%% endset %%}', '{%% filter upper(%s) %%}\n{{ x|nosuch2 }}{%% endfilter %%}',
     '{%% for i in l|%s %%}\n{{ x|nosuch2 }}{%% endfor %%}', '{%% for i in l if i is %s %%}\n{{ x|nosuch2 }}{%% endfor %%}', '{%% for i in l|%s if i is nosuch2 %%}{%% endfor %%}',
     '{%% with a = x|%s %%}\n{{ x|nosuch2 }}{%% endwith %%}', '{%% autoescape x|%s %%}\n{{ x|nosuch2 }}{%% endautoescape %%}', '{%% call m(x|%s) %%}\n{{ x|nosuch2 }}{%% endcall %%}',
     '{%% macro q(a=x|%s) %%}\n{{ x|nosuch2 }}{%% endmacro %%}', '{%% set ns.a = x|%s %%}', '{%% if x|%s %%}\n{{ x|nosuch2 }}{%% endif %%}', '{{ x|%s if x|nosuch2 }}',
     '{%% for a in l|%s %%}{%% else %%}\n{{ x|nosuch2 }}{%% endfor %%}', '{%% call(a=x|%s) m() %%}\n{{ x|nosuch2 }}{%% endcall %%}']
for o in O:
    for f in ['nosuch', 'upper']:
        cases.append(mk(pre + o % f, ctx={'x': 'X', 'l': [1]}))
check(cases, 'c13 e1 soft frames')
