#!/usr/bin/env python3
"""Differential fuzzer for macros, call blocks, imports and recursive loops with unusual
signatures: defaults that refer to earlier parameters, to template names or to `caller`;
varargs/kwargs use (`varargs`, `kwargs`, `*args`/`**kw` calls, too many or unknown
arguments); call blocks whose caller takes arguments (with defaults, fewer or more than
given); macros passed as values (to other macros, through filters like map/select, stored in
dicts/namespaces, returned by `{% set %}`), macro attributes (name, arguments, defaults,
catch_kwargs, catch_varargs, caller); recursion; `{% set %}` inside macros, call blocks and
loops; namespace objects; loop.cycle/changed/previtem/nextitem/depth/depth0/first/last/length
in recursive loops; and the same macros imported with and without context. Rendered by
Python Jinja2 and by `jinjac render` (see scripts/conform_probe.py); prints every difference.

Mode `deep` builds nested programs instead: several macros calling each other and their
caller (in loops, with arguments, several times), nested call blocks whose bodies set
names, read loop variables and the caller's arguments, macros handed to macros, and the
output filtered, joined or escaped.

usage: python3 scripts/fuzz_macros.py SEED COUNT [flat|deep]
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

CTX = {'x': 'X', 'n': 3, 'items': [1, 2, 3], 'tree': [{'v': 'a', 'kids': [{'v': 'b', 'kids': []}, {'v': 'c', 'kids': [{'v': 'd', 'kids': []}]}]}, {'v': 'e', 'kids': []}],
       'd': {'k': 'v', 'j': 2}, 'words': ['x', 'y', 'x', 'z'], 'empty': []}

PARAMS = ['', 'a', 'a, b', 'a=1', 'a, b=a', 'a=x, b=a ~ "!"', 'a, b=2, c=b * 2', 'a=n', 'a=items|length', 'a=caller', 'a=none, b=a is none',
          'a=[], b={}', 'a, b=varargs', 'x=x', 'a=kwargs', 'a="<b>"']
BODIES = ['{{ a }}', '{{ a }}|{{ b }}', '{{ varargs }}', '{{ kwargs }}', '{{ varargs|length }}:{{ kwargs|dictsort }}', '{{ caller() if caller }}',
          '{{ caller("p") if caller is defined else "-" }}', '{% set a = "S" %}{{ a }}', '{% set y = 1 %}{{ y }}', '{{ x }}', '{{ n }}',
          '{% for i in items %}{{ i }}{% set x = i %}{% endfor %}{{ x }}', '{{ a is defined }}{{ b is defined }}', '{{ c|default("nc") }}',
          '{% if a %}{{ a }}{% else %}F{% endif %}', '{{ m.name if m is defined }}', '{{ self is defined }}', '{{ a|e }}']
CALLS = ['()', '(1)', '(1, 2)', '(1, 2, 3)', '(a=5)', '(b=6)', '(1, b=7)', '(c=8)', '(*items)', '(**d)', '(*items, **d)', '("<i>")', '(none)', '(a=1, a=2)',
         '(1, a=2)', '(x)', '(caller=1)', '(*[], **{})']
CALLER_SIGS = ['', '(p)', '(p="dp")', '(p, q=p)', '(p, q)']
CALLER_BODIES = ['C', '{{ p }}', '{{ p|default("nd") }}', '{{ q }}', '{{ varargs }}', '{{ x }}{% set x = "CB" %}{{ x }}', '{{ a is defined }}', '{{ caller is defined }}']
ATTRS = ['name', 'arguments', 'defaults', 'catch_kwargs', 'catch_varargs', 'caller']


def macro(R, name='m'):
    return '{%% macro %s(%s) %%}%s{%% endmacro %%}' % (name, R.choice(PARAMS), ''.join(R.choice(BODIES) for _ in range(R.randint(1, 3))))


def use(R):
    k = R.random()
    if k < 0.35:
        return '{{ m%s }}' % R.choice(CALLS)
    if k < 0.5:
        return '{%% call%s m%s %%}%s{%% endcall %%}' % (R.choice(CALLER_SIGS), R.choice(CALLS), R.choice(CALLER_BODIES))
    if k < 0.58:
        return '{{ m.%s }}' % R.choice(ATTRS)
    if k < 0.66:
        return R.choice(['{{ items|map("string")|list }}{% set f = m %}{{ f(1) }}', '{% set ns = namespace(f=m) %}{{ ns.f(2) }}', '{{ {"f": m}.f(3) }}',
                         '{% macro h(g) %}{{ g(4) }}{% endmacro %}{{ h(m) }}', '{{ [m][0](5) }}', '{{ m is callable }}', '{{ (m)(6) }}',
                         '{% set r = m(7) %}{{ r }}|{{ r|length }}', '{{ m(8)|upper }}', '{{ m(9) ~ m(10) }}', '{{ m() is string }}'])
    if k < 0.74:
        return '{% for i in items %}{{ m(i) }}{% set x = i %}{% endfor %}{{ x }}'
    if k < 0.8:
        return '{% set ns = namespace(c=0) %}{% for i in items %}{% set ns.c = ns.c + i %}{{ m(ns.c) }}{% endfor %}{{ ns.c }}'
    return '{% with a = 1 %}{{ m(a) }}{% endwith %}'


LOOPS = [
    '{% for t in tree recursive %}[{{ loop.depth }}{{ loop.depth0 }}{{ t.v }}{{ loop.index }}/{{ loop.length }}{% if t.kids %}({{ loop(t.kids) }}){% endif %}]{% endfor %}',
    '{% for t in tree recursive %}{{ loop.cycle("o", "e") }}{{ t.v }}{{ loop(t.kids) }}{% endfor %}',
    '{% for t in tree recursive %}{{ loop.previtem.v if loop.previtem }}>{{ t.v }}<{{ loop.nextitem.v if loop.nextitem }}{{ loop(t.kids) }};{% endfor %}',
    '{% for t in tree recursive %}{% if loop.changed(t.kids|length) %}*{% endif %}{{ t.v }}{{ loop(t.kids) }}{% endfor %}',
    '{% for t in tree recursive %}{% set x = t.v %}{{ x }}{{ loop(t.kids) }}{{ x }}{% endfor %}{{ x }}',
    '{% for t in tree recursive %}{{ m(t.v) }}{{ loop(t.kids)|upper }}{% endfor %}',
    '{% for t in tree recursive %}{% call m(t.v) %}{{ loop.depth }}{% endcall %}{{ loop(t.kids) }}{% endfor %}',
    '{% for t in tree recursive %}{{ loop.first }}{{ loop.last }}{{ loop.revindex }}{{ loop(t.kids) if loop.first }}{% endfor %}',
    '{% set ns = namespace(s="") %}{% for t in tree recursive %}{% set ns.s = ns.s ~ t.v %}{{ loop(t.kids) }}{% endfor %}{{ ns.s }}',
    '{% for w in words %}{{ loop.changed(w) }}{{ loop.cycle(1, 2, 3) }}{% endfor %}',
    '{% for w in words if w != "y" %}{{ loop.index }}{{ loop.previtem }}{{ loop.nextitem }}{% else %}E{% endfor %}',
    '{% for a, b in d.items() %}{{ loop.length }}{{ a }}{{ b }}{% endfor %}',
    '{% for t in tree recursive %}{{ loop(t.kids)|length }}{% endfor %}',
    '{% for i in range(3) recursive %}{{ i }}{% if i > 0 %}{{ loop(range(i - 1)) }}{% endif %}{% endfor %}',
    '{% macro rec(k) %}{{ k }}{% if k > 0 %}{{ rec(k - 1) }}{% endif %}{% endmacro %}{{ rec(n) }}',
    '{% macro rec(t) %}{{ t.v }}{% for c in t.kids %}({{ rec(c) }}){% endfor %}{% endmacro %}{% for t in tree %}{{ rec(t) }}{% endfor %}',
]

LIB = '{% macro lm(a, b=x) %}<{{ a }}|{{ b }}|{{ x }}|{{ caller(a) if caller else "" }}>{% endmacro %}{% set x = "LX" %}{% macro lv() %}{{ varargs }}{{ kwargs }}{% endmacro %}'
IMPORTS = ['{% import "lib" as L %}{{ L.lm(1) }}{{ L.x }}', '{% import "lib" as L with context %}{{ L.lm(1) }}', '{% from "lib" import lm %}{{ lm(2, 3) }}',
           '{% from "lib" import lm with context %}{% call(p) lm(4) %}[{{ p }}]{% endcall %}', '{% from "lib" import lv %}{{ lv(1, k=2) }}',
           '{% import "lib" as L %}{{ L.lv.catch_varargs }}{{ L.lm.arguments }}{{ L.lm.defaults|length }}', '{% from "lib" import lm as q %}{{ q.name }}{{ q("z") }}',
           '{% import "lib" as L %}{% set f = L.lm %}{{ f(5) }}', '{% import "lib" as L %}{{ L.nope is defined }}{{ L.lm is callable }}']


def run(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        k = R.random()
        if k < 0.55:
            t = ''.join(R.choice([macro(R), use(R)]) if i else macro(R) for i in range(R.randint(2, 5)))
        elif k < 0.8:
            t = (macro(R) if R.random() < 0.5 else '') + R.choice(LOOPS)
        else:
            t = R.choice(IMPORTS) + (R.choice(IMPORTS) if R.random() < 0.3 else '')
        opts = {}
        if R.random() < 0.25:
            opts['undefined'] = R.choice(['strict', 'chainable', 'debug'])
        if R.random() < 0.25:
            opts['autoescape'] = True
        if R.random() < 0.2:
            opts['trim_blocks'] = True
        cases.append(mk({'main': t, 'lib': LIB}, ctx=CTX, **opts))
    check(cases, 'macros seed %d' % seed)


DEEP_EXPRS = ['a', 'b', 'x', 'i', 'loop.index', 'varargs', 'kwargs', 'a ~ b', 'caller(a) if caller', 'ns.v', 'y', 'a|default("da")', 'b is defined',
              'loop.cycle("L", "R")', 'q', '"<&>"', 'a|e', '(a ~ "<")|safe', 'p1', 'p2']


def deep_body(R, d, names):
    out = []
    for _ in range(R.randint(1, 3)):
        k = R.random()
        if d > 2 or k < 0.3:
            out.append('{{ %s }}' % R.choice(DEEP_EXPRS))
        elif k < 0.42:
            out.append('{%% set %s = %s %%}' % (R.choice(['x', 'y', 'a', 'q']), R.choice(DEEP_EXPRS)))
        elif k < 0.5:
            out.append('{%% set ns.v = ns.v ~ %s %%}' % R.choice(['"n"', 'a', 'i', 'x']))
        elif k < 0.62:
            out.append('{%% for i in %s %%}%s{%% endfor %%}' % (R.choice(['[1, 2]', 'range(2)', 'items', '[]']), deep_body(R, d + 1, names)))
        elif k < 0.75:
            out.append('{{ %s(%s) }}' % (R.choice(names), R.choice(['', 'a', '1, 2', 'i', 'b=3', '"<x>"', 'x, y=1', '*items'])))
        elif k < 0.9:
            out.append('{%% call%s %s(%s) %%}%s{%% endcall %%}' % (R.choice(['', '(p1)', '(p1, p2="d2")', '(p1="d1")']), R.choice(names),
                                                                 R.choice(['', 'a', '1', 'i', '"c"']), deep_body(R, d + 1, names)))
        else:
            out.append('{%% filter %s %%}%s{%% endfilter %%}' % (R.choice(['upper', 'e', 'trim', 'replace("a", "A")']), deep_body(R, d + 1, names)))
    return ''.join(out)


def run_deep(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        names = ['m%d' % i for i in range(R.randint(1, 3))]
        t = '{% set ns = namespace(v="") %}'
        for name in names:
            t += '{%% macro %s(%s) %%}%s{%% endmacro %%}' % (name, R.choice(['a=1, b=a', 'a, b="B"', 'a="A"', '', 'a=x', 'a=[], b=a|length']),
                                                            deep_body(R, 1, [x for x in names if x != name] or ['mz']))
        # (`mz`, not a builtin like dict: a call block yields its call's result unconverted, and
        # Jinja2 fails on a non-str only when the enclosing buffer is joined, after the rest
        # of the macro ran; jinjac fails at once. See scripts/probes/README.md.)
        t = '{% macro mz(a=0) %}<mz{{ a }}{{ caller() if caller }}>{% endmacro %}' + t
        t += deep_body(R, 0, names) + '{{ ns.v }}'
        if R.random() < 0.2:
            t = '{%% set x = "%s" %%}' % R.choice(['X0', '<x>']) + t
        opts = {}
        if R.random() < 0.3:
            opts['undefined'] = R.choice(['strict', 'chainable', 'debug'])
        if R.random() < 0.3:
            opts['autoescape'] = True
        cases.append(mk(t, ctx=CTX, **opts))
    check(cases, 'macros deep seed %d' % seed)


if __name__ == '__main__':
    {'flat': run, 'deep': run_deep}[sys.argv[3] if len(sys.argv) > 3 else 'flat'](int(sys.argv[1]), int(sys.argv[2]))
