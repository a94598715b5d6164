#!/usr/bin/env python3
"""Differential fuzzer for `for` loops: random loops (targets, iterables of every kind,
filters, `recursive`, `else`, every `loop` attribute and method, iterating `loop` itself,
nested loops, `set`/namespace/macro/call/with inside, undefined kinds, whitespace options)
rendered by Python Jinja2 and by `jinjac render`, printing every difference (see
scripts/conform_probe.py). Outputs naming an object address are skipped.

usage: python3 scripts/fuzz_loops.py SEED COUNT [features|scoping]
"""
import random
import sys

sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

def features(seed, n):
    R = random.Random(seed)
    ITERS = ['users', 'd', 'd.items()', 'd|dictsort', '"abc"', 'range(4)', 'range(0)', '[]', 'empty', '[[1,2],[3,4]]', '[(1,"a"),(2,"b")]', 'users|map(attribute="name")',
             'users|selectattr("age","gt",26)', 'users|groupby("city")', '[1,2,3]|batch(2)', '[3,1,2]|sort', 'none', 'n', 'undefinedv', 'nested', 'nested.a', '[1,[2,[3,[]]]]',
             '[{"c":[{"c":[]}]},{"c":[]}]', 'users|map(attribute="tags")', '(1,2,3)', '"abc"|reverse', '[1,2,3]|reverse', 'd.keys()', 'd.values()', 'users|list|first', '[none, 0, "", 1]']
    ATTRS = ['loop.index', 'loop.index0', 'loop.revindex', 'loop.revindex0', 'loop.first', 'loop.last', 'loop.length', 'loop.depth', 'loop.depth0', 'loop.previtem', 'loop.nextitem',
             'loop.cycle("a","b","c")', 'loop.changed(x)', 'loop.changed(loop.index is odd)', 'loop', 'loop|length', 'x', 'x[0]', 'x.name', 'x|string', 'loop.cycle()', 'loop.foo', 'loop(x)']
    TGT = ['x', 'x', 'x', 'a, b', '(a, b)', 'x, ', 'a, (b, c)']
    def body(d):
        parts = []
        for _ in range(R.randint(1, 3)):
            k = R.random()
            if k < 0.45: parts.append('{{ %s }}' % R.choice(ATTRS + ['a', 'b', 'c']))
            elif k < 0.6 and d < 2: parts.append(loop(d + 1))
            elif k < 0.7: parts.append('{%% set x = %s %%}' % R.choice(['1', 'x', 'loop.index', '"s"']))
            elif k < 0.8: parts.append('{%% if %s %%}+{%% else %%}-{%% endif %%}' % R.choice(ATTRS))
            elif k < 0.9: parts.append('{%% for y in %s %%}{{ y }}{{ loop.index }}{%% endfor %%}' % R.choice(['x', 'loop', ITERS[0], 'x.c', 'x[1]']))
            else: parts.append(R.choice(['.', ' ', '\n', '{# c #}', '{{ x is defined }}']))
        return ''.join(parts)
    def loop(d):
        it = R.choice(ITERS); t = R.choice(TGT)
        filt = (' if ' + R.choice(['x', 'loop.index > 1', 'x is odd', 'x.age > 26', 'a', 'not x'])) if R.random() < 0.25 else ''
        rec = ' recursive' if R.random() < 0.2 else ''
        b = body(d)
        if rec and R.random() < 0.7: b += '{%% if x.c is defined %%}<{{ loop(x.c) }}>{%% elif x is iterable and x is not string %%}<{{ loop(x) }}>{%% endif %%}'
        els = ('{% else %}E{{ x }}' if R.random() < 0.3 else '')
        return '{%% for %s in %s%s%s %%}%s%s{%% endfor %%}' % (t, it, filt, rec, b, els)
    cases = []
    for i in range(n):
        t = ''.join(R.choice([loop(0), '{% set x = 5 %}', '{{ x }}', '|']) for _ in range(R.randint(1, 3)))
        opts = {}
        if R.random() < 0.3: opts['undefined'] = R.choice(['strict', 'chainable', 'debug'])
        if R.random() < 0.2: opts['trim_blocks'] = True
        cases.append(mk(t, **opts))
    check(cases, 'loops seed %d' % seed)



def scoping(seed, n):
    R = random.Random(seed)
    IT = ['range(3)', 'range(5, 0, -2)', 'range(0)', '"ab"', '[1, 2, 2, 3]', '[[1, 2], [3, 4], [5]]', 'd.items()', 'd', 'users', '5', 'none', 'undefinedv', '[(1, 2, 3)]',
          '[{"a": [1, 2]}, {"a": []}]', 'namespace(x=1)', 'users|map(attribute="age")', '"a b c".split()', 'range(3)|list|reverse', 'users|batch(2)|list']
    def expr():
        return R.choice(['x', 'i', 'loop.index', 'loop.cycle("o", "e")', 'loop.changed(x)', 'loop.changed(x, i)', 'ns.c', 'total', 'loop.length - loop.index',
                         'loop.previtem|default("-")', 'loop.nextitem is defined', 'caller() if caller is defined', 'x ~ i', 'loop.depth', 'outer.index if outer is defined'])
    def stmt(d):
        k = R.random()
        if k < 0.3: return '{{ %s }}' % expr()
        if k < 0.4: return '{%% set total = total + %s %%}' % R.choice(['1', 'loop.index', 'x if x is number else 0'])
        if k < 0.5: return '{%% set ns.c = ns.c + 1 %%}'
        if k < 0.6 and d < 2: return floop(d + 1)
        if k < 0.65: return '{%% set outer = loop %%}'
        if k < 0.7: return '{%% if loop.first %%}[{%% elif loop.last %%}]{%% else %%},{%% endif %%}'
        if k < 0.75: return '{%% set captured %%}{{ x }}{%% endset %%}{{ captured|length }}'
        if k < 0.8: return '{{ m(x) }}'
        if k < 0.85: return '{%% call m(x) %%}c{{ x }}{%% endcall %%}'
        if k < 0.9: return R.choice(['\n  ', '{%- if true %} t {% endif -%}', '  {{- x -}}  ', '\n{# x #}\n'])
        return '{%% with x = %s %%}{{ x }}{%% endwith %%}' % R.choice(['1', 'loop.index', 'x'])
    def floop(d):
        tgt = R.choice(['x', 'x', 'x, i', '(x, i)', 'x, i, j', 'loop', 'x.y'])
        it = R.choice(IT)
        filt = ' if ' + R.choice(['x', 'not x', 'x is number', 'x != 2']) if R.random() < 0.2 else ''
        body = ''.join(stmt(d) for _ in range(R.randint(1, 4)))
        els = '{% else %}none{{ x }}' if R.random() < 0.3 else ''
        return '{%% for %s in %s%s %%}%s%s{%% endfor %%}' % (tgt, it, filt, body, els)
    cases = []
    for _ in range(n):
        pre = '{% set total = 0 %}{% set ns = namespace(c=0) %}{% set x = "X" %}{% macro m(v) %}<{{ v }}{{ caller() if caller is defined }}{{ x }}>{% endmacro %}'
        t = pre + floop(0) + '|{{ total }}|{{ ns.c }}|{{ x }}|{{ i is defined }}'
        opts = {}
        r = R.random()
        if r < 0.25: opts['undefined'] = R.choice(['strict', 'chainable', 'debug'])
        if R.random() < 0.3: opts['trim_blocks'] = True
        if R.random() < 0.3: opts['lstrip_blocks'] = True
        cases.append(mk(t, ctx={'users': [{'name': 'a', 'age': 3}, {'name': 'b', 'age': 4}, {'name': 'c', 'age': 3}], 'd': {'k': 1, 'j': 2}}, **opts))
    check(cases, 'loops (scoping) seed %d' % seed)



if __name__ == '__main__':
    seed, n = int(sys.argv[1]), int(sys.argv[2])
    {'features': features, 'scoping': scoping}[sys.argv[3] if len(sys.argv) > 3 else 'features'](seed, n)
