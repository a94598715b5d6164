#!/usr/bin/env python3
"""Differential fuzzer for errors across templates: multi-line templates (text, comments, raw
blocks and whitespace control on several lines) with one fault planted at a random place — an
unknown filter/test, an undefined name used in arithmetic/iteration/attribute/call/filter
argument, a type error, division by zero, a bad unpacking, a second or late `extends`, a missing
template in include/import/extends, a bad macro call, `caller`/`loop` misuse, `break` without the
extension, an unclosed block/string/comment, a mismatched end tag, a block defined twice, ... —
wrapped in if/for/macro/call/filter/set/with/block constructs, in the entry template or in a
second/third template reached through include/import/from/extends. Rendered by Python Jinja2 and
by `jinjac render` under a random undefined kind; the error CLASS must match, and for syntax and
assertion errors also the TEMPLATE and LINENO (runtime lines are counted apart, not compared by
the conformance runner). Also renders every fault in every host/wrapper once (mode `all`).

usage: python3 scripts/fuzz_errors.py SEED COUNT [random|all]
"""
import copy
import os
import random
import re
import sys
import concurrent.futures as cf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conform_probe  # noqa: E402
from conform_probe import generate, mk, run_bin  # noqa: E402

CTX = {'x': 'X', 'n': 3, 'z': 0, 'l': [1, 2], 'd': {'k': 1}, 'none_': None, 's': 'ab', 'users': [{'name': 'a'}]}

FAULTS = [
    # compile-time: unknown filter / test
    '{{ x|nosuch }}', '{{ x|nosuch(1) }}', '{{ x is nosuch }}', '{% if x is nosuch %}T{% endif %}', '{% filter nosuch %}f{% endfilter %}',
    '{{ l|map("nosuch")|list }}', '{{ l|select("nosuch")|list }}', '{% set v = x|nosuch %}', '{{ x|default(1)|nosuch }}',
    '{% for i in l|nosuch %}{% endfor %}', '{{ (x|nosuch) if false }}', '{{ x if false else x|nosuch }}', '{% if false %}{{ x|nosuch }}{% endif %}',
    '{% if false %}{{ x is nosuch }}{% endif %}',
    # undefined values
    '{{ u + 1 }}', '{{ 1 + u }}', '{{ u - 1 }}', '{{ u * 2 }}', '{{ -u }}', '{% for i in u %}{{ i }}{% endfor %}', '{{ u.a }}', '{{ u.a.b }}', '{{ u["k"] }}', '{{ u() }}',
    '{{ u.a() }}', '{{ "ab"|replace(u, "y") }}', '{{ x|center(u) }}', '{{ u|upper }}', '{{ u[0] }}', '{{ u ~ 1 }}', '{{ u < 1 }}', '{{ u|length }}', '{{ u|int }}',
    '{{ u }}', '{% if u %}T{% endif %}', '{{ u|join }}', '{{ l|join(u) }}', '{{ d.nope.x }}', '{{ d.nope }}', '{{ l[5] }}', '{{ l[5] + 1 }}', '{{ u|list }}',
    '{{ u == 1 }}', '{{ 1 in u }}', '{{ u in l }}', '{{ u|first }}', '{{ u|tojson }}', '{{ "%s"|format(u) }}', '{{ u|string }}', '{% set v = u %}{{ v.w }}',
    '{% with v = u %}{{ v }}{% endwith %}', '{{ namespace(a=u).a }}', '{{ range(u) }}', '{{ u|default(u) }}', '{{ u|sort }}', '{{ u|dictsort }}', '{{ u|items|list }}',
    '{{ none_.a }}', '{{ none_.a.b }}', '{{ none_["a"] }}',
    # type errors
    '{{ 1 + "a" }}', '{{ n + "a" }}', '{{ none() }}', '{{ none_() }}', '{{ [] < 1 }}', '{{ l < n }}', '{{ {}|first }}', '{{ d|first }}', '{{ {[1]: 2} }}',
    '{{ {l: 2} }}', '{{ x() }}', '{{ n.upper() }}', '{{ x|int + "a" }}', '{{ range(1, 2, 0)|list }}', '{{ "%d"|format("x") }}', '{{ l|sum(attribute="a") }}',
    '{{ x|attr("nope")() }}', '{{ n|join }}', '{% for i in n %}{% endfor %}', '{{ s * l }}', '{{ l|batch(0)|list }}', '{{ x|wordwrap(0) }}',
    # division by zero
    '{{ 1 / 0 }}', '{{ n / z }}', '{{ n // z }}', '{{ n % z }}', '{{ 1 // 0 }}', '{{ 1 % 0 }}', '{{ 1.5 / 0 }}', '{% if false %}{{ 1 / 0 }}{% endif %}',
    # bad unpacking
    '{% for a, b in [1] %}{% endfor %}', '{% for a, b in l %}{% endfor %}', '{% for a, b in [[1, 2, 3]] %}{% endfor %}', '{% set a, b = 1 %}', '{% set a, b = l + l %}',
    '{% set a, b = [1] %}', '{% for a, (b, c) in [[1, 2]] %}{% endfor %}',
    # extends twice / missing templates
    '{% extends "base0" %}{% extends "base0" %}', '{% include "missing" %}', '{% include ["m1", "m2"] %}', '{% include "missing" ignore missing %}',
    '{% include ["m1", "m2"] ignore missing %}', '{% import "missing" as mm %}', '{% from "missing" import a %}', '{% extends "missing" %}', '{% include none_ %}',
    '{% include u %}', '{% include n %}', '{% from "lib0" import nope %}', '{% from "lib0" import m0, nope as q %}{{ q() }}', '{% import "lib0" as L %}{{ L.nope() }}',
    '{% import "lib0" as L %}{{ L.m0(1, 2, 3) }}', '{% include "missing" if false %}', '{% include [] %}', '{% include "" %}',
    # macros
    '{% macro mf(a) %}{{ a }}{% endmacro %}{{ mf(1, 2) }}', '{% macro mf(a) %}{{ a }}{% endmacro %}{{ mf(b=1) }}', '{% macro mf(a) %}{{ a }}{% endmacro %}{{ mf(1, a=2) }}',
    '{% macro mf(a) %}{{ a }}{{ varargs }}{% endmacro %}{{ mf(1, 2) }}', '{% macro mf(a) %}{{ kwargs }}{% endmacro %}{{ mf(b=2) }}', '{% macro mf() %}{{ caller() }}{% endmacro %}{{ mf() }}',
    '{{ caller() }}', '{% macro mf(a, a) %}{% endmacro %}', '{% macro mf(a=1, b) %}{% endmacro %}', '{% call u() %}c{% endcall %}', '{% call x() %}c{% endcall %}',
    '{% macro mf() %}{% endmacro %}{% call mf() %}{{ caller() }}{% endcall %}', '{% macro mf() %}{{ caller(1) }}{% endmacro %}{% call mf() %}c{% endcall %}',
    '{% macro mf() %}{{ caller(1) }}{% endmacro %}{% call(a, b) mf() %}{{ a }}{% endcall %}', '{% macro mf(caller) %}{% endmacro %}', '{{ mf() }}',
    # loop misuse
    '{{ loop.index }}', '{{ loop.index + 1 }}', '{% for i in l %}{{ loop() }}{% endfor %}', '{% for i in l %}{{ loop.nope + 1 }}{% endfor %}',
    '{% for i in l %}{{ loop.cycle() }}{% endfor %}', '{% for loop in l %}{% endfor %}', '{% for i in l recursive %}{{ loop(1) }}{% endfor %}',
    '{% break %}', '{% continue %}', '{% for i in l %}{% break %}{% endfor %}',
    # syntax
    '{% if x %}unclosed', '{{ "abc }}', '{# unclosed comment', '{% for i in l %}{% endif %}', '{% endfor %}', '{% block b0 %}{% endblock %}{% block b0 %}{% endblock %}',
    '{{ self.nope() }}', '{{ self.nope }}', '{{ super() }}', '{% raw %}unclosed raw', '{{ 1 +\n }}', '{% set %}', '{% nosuchtag %}', '{{ }}', '{{ x. }}',
    '{% block b0 %}{% endblock b1 %}', '{% if x %}{% else %}{% else %}{% endif %}', '{% if x %}{% else %}{% elif y %}{% endif %}', '{{ x\n|\nnosuch }}',
    '{% macro %}{% endmacro %}', '{% set x.y = 1 %}', '{% set v = 1 %}{% set v.y = 1 %}', '{% with %}{% endwith %}', '{% filter %}{% endfilter %}',
    '{{ x|default(1, 2, 3, 4) }}', '{{ x|upper(1) }}', '{{ x is defined(1) }}', '{{ x is divisibleby }}', '{{ 1 if x }}{{ x|e(1, 2) }}',
    '{{ namespace(1) }}', '{% set ns = namespace() %}{{ ns.a }}{% set ns.a.b = 1 %}', '{% set ns = 1 %}{% set ns.a = 1 %}', '{{ lipsum(1, 2, 3, 4, 5) }}',
    '{{ dict(1) }}', '{{ cycler() }}{{ joiner(1, 2) }}', '{{ range() }}',
]

HOSTS = ['main', 'inc', 'lib', 'base', 'child_block', 'base_block', 'mid']
WRAPS = ['', 'if_true', 'if_false', 'if_var', 'for', 'for_empty', 'macro_called', 'macro_uncalled', 'call', 'filter', 'set_block', 'with', 'autoescape', 'for_else', 'elif']


def filler(R):
    return R.choice(['', 'text\n', '\n', 'a\nb\n', '{# c\n #}', '{# one #}\n', '{% raw %}\n{{ raw }}\n{% endraw %}', '  {%- if true -%}\n  t\n  {%- endif %}\n',
                     '{{- " w " -}}\n', '\n\n\n', '{{ x }}\n', '{% set q = 1 %}\n', '<p>\n  {{- n }}\n</p>\n'])


def wrap(R, kind, body):
    f = lambda: filler(R)  # noqa: E731
    if kind == 'if_true': return '{%% if true %%}%s%s%s{%% endif %%}' % (f(), body, f())
    if kind == 'if_false': return '{%% if false %%}%s%s{%% endif %%}' % (f(), body)
    if kind == 'if_var': return '{%% if n %%}\n%s%s{%% else %%}no{%% endif %%}' % (f(), body)
    if kind == 'elif': return '{%% if not n %%}no\n{%% elif n > 1 %%}%s%s\n{%% endif %%}' % (f(), body)
    if kind == 'for': return '{%% for it in l %%}%s%s{%% endfor %%}' % (f(), body)
    if kind == 'for_empty': return '{%% for it in [] %%}%s{%% endfor %%}' % body
    if kind == 'for_else': return '{%% for it in [] %%}x{%% else %%}\n%s{%% endfor %%}' % body
    if kind == 'macro_called': return '{%% macro mw() %%}%s%s{%% endmacro %%}%s{{ mw() }}' % (f(), body, f())
    if kind == 'macro_uncalled': return '{%% macro mw() %%}%s%s{%% endmacro %%}%s' % (f(), body, f())
    if kind == 'call': return '{%% macro mc() %%}[{{ caller() }}]{%% endmacro %%}{%% call mc() %%}%s%s{%% endcall %%}' % (f(), body)
    if kind == 'filter': return '{%% filter upper %%}%s%s{%% endfilter %%}' % (f(), body)
    if kind == 'set_block': return '{%% set cap %%}%s%s{%% endset %%}%s{{ cap }}' % (f(), body, f())
    if kind == 'with': return '{%% with w = 1 %%}%s%s{%% endwith %%}' % (f(), body)
    if kind == 'autoescape': return '{%% autoescape true %%}%s%s{%% endautoescape %%}' % (f(), body)
    return f() + body + f()


def build(R, fault, host, wraps):
    body = fault
    for w in wraps:
        body = wrap(R, w, body)
    f = lambda: filler(R)  # noqa: E731
    t = {'lib0': '{% macro m0(a) %}<{{ a }}>{% endmacro %}', 'base0': 'B{% block b0 %}{% endblock %}'}
    if host == 'main':
        t['main'] = f() + body + f()
    elif host == 'inc':
        t['inc'] = f() + body + f()
        t['main'] = f() + R.choice(['{% include "inc" %}', '{% for it in l %}{% include "inc" %}{% endfor %}', '{% include "inc" without context %}',
                                     '{% with n = 2 %}{% include "inc" %}{% endwith %}', '{% include ["nope", "inc"] %}']) + f()
    elif host == 'lib':
        t['lib'] = '{%% macro lm(a=1) %%}%s%s%s{%% endmacro %%}' % (f(), body, f())
        t['main'] = f() + R.choice(['{% import "lib" as L %}{{ L.lm() }}', '{% from "lib" import lm %}\n{{ lm(2) }}', '{% import "lib" as L with context %}{{ L.lm() }}',
                                     '{% from "lib" import lm %}{% call lm() %}c{% endcall %}', '{% import "lib" as L %}{{ [1]|map(L.lm)|list }}']) + f()
    elif host == 'base':
        t['base'] = f() + body + f() + '{% block c %}{% endblock %}' + f()
        t['main'] = '{% extends "base" %}' + f() + '{% block c %}C{% endblock %}'
    elif host == 'child_block':
        t['base'] = f() + 'B\n{% block c %}{% endblock %}\n' + f()
        t['main'] = '{% extends "base" %}' + f() + '{%% block c %%}%s%s{%% endblock %%}' % (f(), body)
    elif host == 'base_block':
        t['base'] = f() + '{%% block c %%}%s%s{%% endblock %%}' % (f(), body) + f()
        t['main'] = '{% extends "base" %}' + f() + R.choice(['', '{% block c %}{{ super() }}{% endblock %}', '{% block c %}over{% endblock %}'])
    else:  # three levels: main extends mid extends base, fault in mid's block called through super
        t['base'] = f() + '{% block c %}base{% endblock %}' + f()
        t['mid'] = '{% extends "base" %}' + f() + '{%% block c %%}%s%s{{ super() }}{%% endblock %%}' % (f(), body)
        t['main'] = '{% extends "mid" %}' + f() + R.choice(['', '{% block c %}<{{ super() }}>{% endblock %}'])
    return t


_SYN = ('TemplateSyntaxError', 'TemplateAssertionError')


def compare(case):
    """(kind, message) of a difference or None; kind 'diff' (class/output) or 'loc'/'rtloc'."""
    why = conform_probe.compare(case)
    if why:
        return 'diff', why
    exp = generate.render(copy.deepcopy(case))
    if 'error' in exp and 'lineno' in exp and 'template' in exp and 'python_error' not in exp:
        got = run_bin(case)
        m = re.search(r'--> ([^:\s]+):(\d+)', got[2] if len(got) > 2 else '')
        if m and (m.group(1), int(m.group(2))) != (exp['template'], exp['lineno']):
            k = 'loc' if exp['error'] in _SYN else 'rtloc'
            return k, f'LOC {exp["error"]}: {exp.get("message", "")[:100]} expected {exp["template"]}:{exp["lineno"]}, got {m.group(1)}:{m.group(2)}'
    return None


def check(cases, label):
    counts = {'diff': 0, 'loc': 0, 'rtloc': 0}
    show_rt = os.environ.get('SHOW_RTLOC') == '1'
    with cf.ThreadPoolExecutor(3) as ex:
        for case, r in zip(cases, ex.map(compare, cases)):
            if not r:
                continue
            counts[r[0]] += 1
            if r[0] != 'rtloc' or show_rt:
                o = {k: v for k, v in case['options'].items() if generate.OPTION_DEFAULTS.get(k) != v}
                print(f'--- [{r[0]}] {json.dumps(case["templates"], ensure_ascii=False)[:600]} {json.dumps(o)}\n    {r[1]}')
    print(f'== {label}: {len(cases)} probes, {counts["diff"]} diffs, {counts["loc"]} syntax/assertion line diffs, {counts["rtloc"]} runtime line diffs (not compared)', file=sys.stderr)


import json  # noqa: E402


def run_random(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        fault = R.choice(FAULTS)
        host = R.choice(HOSTS)
        wraps = [R.choice(WRAPS) for _ in range(R.choice([0, 1, 1, 2, 3]))]
        opts = {}
        if R.random() < 0.5:
            opts['undefined'] = R.choice(['strict', 'chainable', 'debug'])
        if R.random() < 0.15:
            opts['autoescape'] = True
        if R.random() < 0.15:
            opts['trim_blocks'] = True
        if R.random() < 0.15:
            opts['lstrip_blocks'] = True
        cases.append(mk(build(R, fault, host, wraps), ctx=CTX, **opts))
    check(cases, 'errors random seed %d' % seed)


def run_all(seed, n):
    R = random.Random(seed)
    cases = []
    for fault in FAULTS:
        for host in HOSTS:
            for w in WRAPS:
                if R.random() * len(HOSTS) * len(WRAPS) < n:
                    cases.append(mk(build(R, fault, host, [w]), ctx=CTX, undefined=R.choice(['default', 'strict', 'chainable', 'debug'])))
    check(cases, 'errors all seed %d' % seed)


if __name__ == '__main__':
    seed, n = int(sys.argv[1]), int(sys.argv[2])
    {'random': run_random, 'all': run_all}[sys.argv[3] if len(sys.argv) > 3 else 'random'](seed, n)
