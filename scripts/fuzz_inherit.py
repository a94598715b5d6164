#!/usr/bin/env python3
"""Differential fuzzer for template inheritance: random chains of two or three templates
(`extends` first, late, inside an `if`, or from a variable) whose roots mix text, set,
for/with/filter/autoescape/if bodies, macros, call blocks, includes and imports with blocks
(plain, scoped, required, nested, in loops, self.x() and super() calls, super.super()),
rendered under the four undefined kinds and the whitespace options by Python Jinja2 and by
`jinjac render` (see scripts/conform_probe.py); prints every difference.

usage: python3 scripts/fuzz_inherit.py SEED COUNT
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

NAMES = ['a', 'b', 'c']


def fuzz(seed, n):
    R = random.Random(seed)

    def expr():
        return R.choice(['x', 'i', 'q', 'v', 'self.a()', 'self.b()', 'super()', 'super()|upper', 'loop.index', 'caller()', 'ns.n', 'x ~ i', 'g', 'u.w', 'm()'])

    def stmt(d, used):
        k = R.random()
        if k < 0.15:
            return R.choice(['t', '\n', ' T ', '{# c #}', 'txt\n  '])
        if k < 0.3:
            return '{{ %s }}' % expr()
        if k < 0.5:
            free = [b for b in NAMES if b not in used]
            if free:
                b = R.choice(free)
                used.add(b)
                mod = R.choice(['', '', ' scoped', ' required' if R.random() < 0.2 else ''])
                body = ''.join(stmt(d + 1, used) for _ in range(R.randint(0, 2))) if d < 3 else 'B'
                return '{%% block %s%s %%}%s{%% endblock %%}' % (b, mod, body)
        if d < 3:
            inner = ''.join(stmt(d + 1, used) for _ in range(R.randint(1, 2)))
            return R.choice([
                '{%% for i in [1, 2] %%}%s{%% endfor %%}', '{%% if x %%}%s{%% endif %%}', '{%% with q = 3 %%}%s{%% endwith %%}',
                '{%% filter upper %%}%s{%% endfilter %%}', '{%% set v %%}%s{%% endset %%}', '{%% autoescape true %%}%s{%% endautoescape %%}',
                '{%% macro m() %%}%s{%% endmacro %%}', '{%% call mc() %%}%s{%% endcall %%}', '{%% if not x %%}no{%% else %%}%s{%% endif %%}']) % inner
        return R.choice(['{% set x = "X2" %}', '{% set ns.n = ns.n + 1 %}', '{% include "inc" %}', '{% import "lib" as L %}{{ L.f() }}', '{{ self.a() }}'])

    def tmpl(ext):
        used = set()
        body = ''.join(stmt(0, used) for _ in range(R.randint(1, 4)))
        pre = '{% macro mc() %}[{{ caller() }}]{% endmacro %}' if R.random() < 0.7 else ''
        if ext:
            e = R.choice(['{%% extends "%s" %%}', '{%% extends "%s" %%}', '{%% if x %%}{%% extends "%s" %%}{%% endif %%}', '{%% set p = "%s" %%}{%% extends p %%}', 'late'])
            if e == 'late':
                return pre + body + '{%% extends "%s" %%}' % ext
            return pre + (e % ext) + body
        return pre + body

    cases = []
    for _ in range(n):
        depth = R.choice([2, 2, 3])
        t = {'inc': '({{ x }}{{ i|default("") }}{% block a %}IA{% endblock %})', 'lib': '{% macro f() %}F{{ x }}{% endmacro %}'}
        if depth == 3:
            t['base'] = tmpl(None)
            t['mid'] = tmpl('base')
            t['main'] = tmpl('mid')
        else:
            t['base'] = tmpl(None)
            t['main'] = tmpl('base')
        opts = {}
        if R.random() < 0.3:
            opts['undefined'] = R.choice(['strict', 'chainable', 'debug'])
        if R.random() < 0.2:
            opts['trim_blocks'] = True
        if R.random() < 0.2:
            opts['autoescape'] = True
        pre = '{% set ns = namespace(n=0) %}'
        t['main'] = pre + t['main'] if not t['main'].startswith('{% extends') else t['main'] + pre
        cases.append(mk(t, ctx={'x': R.choice([1, 0, 'X']), 'g': 'G'}, **opts))
    check(cases, 'inherit seed %d' % seed)


if __name__ == '__main__':
    fuzz(int(sys.argv[1]), int(sys.argv[2]))
