#!/usr/bin/env python3
"""Differential fuzzer for scoping: random nests of for/if/with/set/block set/namespace/
macro/call/filter blocks/include/import (with and without context)/blocks with extends, all
reading and writing the same few names (`x`, `y`, `ns.v`, `m`), rendered by Python Jinja2 and
by `jinjac render` (see scripts/conform_probe.py); prints every difference.

usage: python3 scripts/fuzz_scoping.py SEED COUNT
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

LIB = {
    'inc': '[inc {{ x }} {{ y|default("-") }}{% set x = "I" %} {{ x }}{{ ns.v if ns is defined }}]',
    'inc2': '{% for x in [7] %}<{{ x }}{{ loop.index }}>{% endfor %}{{ x }}{% include "inc" %}',
    'lib': '{% set top = "T" ~ (x|default("u")) %}{% macro show(a=x) %}<{{ a }}|{{ x }}|{{ top }}{{ caller() if caller }}>{% endmacro %}'
           '{% macro inc() %}{% include "inc" %}{% endmacro %}{% set x = "L" %}',
    'base': '<{% block a %}A{{ x }}{% endblock %}|{% block b %}B{% for i in [1] %}{{ y }}{% endblock %}{% endfor %}>'
            '{% set x = "base" %}{% block c scoped %}{{ x }}{% endblock %}',
}
LIB['base'] = '<{% block a %}A{{ x }}{% endblock %}|{% for i in [1, 2] %}{% block b %}B{{ i }}{{ x }}{% endblock %}{% endfor %}>{% set x = "base" %}{% block c %}{{ x }}{% endblock %}'
LIB['base_s'] = '{% for i in [1, 2] %}{% block b scoped %}S{{ i }}{{ x }}{% endblock %}{% endfor %}'

EXPRS = ['x', 'y', 'ns.v', 'x ~ y', 'i', 'loop.index', 'm()', 'top', 'show', 'v', 'x is defined', 'caller()', 'self', 'varargs', 'kwargs', 'super()']


def run(seed, n):
    R = random.Random(seed)

    def out():
        return '{{ %s }}' % R.choice(EXPRS)

    def setx():
        return R.choice(['{% set x = x ~ "s" %}', '{% set y = 1 %}', '{% set x = 2 %}', '{% set ns.v = ns.v ~ "n" %}', '{% set x, y = y, x %}',
                         '{% set v %}{{ x }}{% endset %}', '{% set x %}[{{ x }}]{% endset %}', '{% set ns = namespace(v="N2") %}', '{% set m = x %}'])

    def stmt(d, fn=False):
        # (`fn`: inside a macro or call block, where `{% include ... without context %}` would
        # make Jinja2's macro function a generator, whose repr names an address.)
        k = R.random()
        if k < 0.2 or d > 3:
            return R.choice([out(), out(), setx(), '.'])
        body = lambda f=fn: ''.join(stmt(d + 1, f) for _ in range(R.randint(1, 3)))  # noqa: E731
        k = R.random()
        if k < 0.14:
            return '{%% for %s in %s %%}%s{%% endfor %%}' % (R.choice(['x', 'i', 'x, y', 'y']), R.choice(['[1, 2]', '[[3, 4]]', 'range(2)', '[]']), body())
        if k < 0.24:
            return '{%% if %s %%}%s{%% else %%}%s{%% endif %%}' % (R.choice(['x', 'y', 'true', 'x is defined', 'i is defined']), body(), body())
        if k < 0.34:
            return '{%% with %s %%}%s{%% endwith %%}' % (R.choice(['x = 5', 'x = x ~ "w", y = x', 'y = 3', '']), body())
        if k < 0.46:
            return '{%% macro m(%s) %%}%s{%% endmacro %%}%s' % (R.choice(['', 'x', 'x=x', 'y=1', 'a, x="d"']), body(True), R.choice(['{{ m() }}', '{{ m(1) }}', '', '{{ m(x=9) }}']))
        if k < 0.54:
            return '{%% macro c(%s) %%}({{ caller(%s) }}){%% endmacro %%}{%% call%s c() %%}%s{%% endcall %%}' % (
                R.choice(['', 'x=4']), R.choice(['', '"k"']), R.choice(['', '(x)']), body(True))
        if k < 0.6:
            return '{%% filter upper %%}%s{%% endfilter %%}' % body()
        if k < 0.68:
            return '{%% include "%s"%s %%}' % (R.choice(['inc', 'inc2']), R.choice(['', ' with context'] + ([] if fn else [' without context'])))
        if k < 0.78:
            return R.choice(['{% import "lib" as lib %}{{ lib.show() }}{{ lib.top }}{{ lib.x }}', '{% import "lib" as lib with context %}{{ lib.show(1) }}{{ lib.top }}',
                             '{% from "lib" import show %}{{ show() }}', '{% from "lib" import show, top with context %}{{ show() }}{{ top }}',
                             '{% from "lib" import inc %}{{ inc() }}', '{% from "lib" import show %}{% call show() %}C{{ x }}{% endcall %}',
                             '{% from "lib" import nope %}{{ nope is defined }}'])
        if k < 0.86:
            return '{%% set v %%}%s{%% endset %%}{{ v }}' % body()
        return '{%% block blk%d %%}%s{%% endblock %%}' % (R.randint(0, 9999), body())

    cases = []
    for _ in range(n):
        pre = R.choice(['', '{% set x = "X" %}', '{% set ns = namespace(v="N") %}', '{% set ns = namespace(v="N") %}{% set x = "X0" %}'])
        if R.random() < 0.15:
            base = R.choice(['base', 'base_s'])
            blocks = ''.join('{%% block %s %%}%s{%% endblock %%}' % (b, ''.join(stmt(1) for _ in range(R.randint(1, 3)))) for b in R.sample(['a', 'b', 'c'], R.randint(1, 3)))
            if base == 'base_s':
                blocks = '{%% block b %%}%s{{ super() }}{%% endblock %%}' % ''.join(stmt(1) for _ in range(R.randint(1, 2)))
            t = '{%% extends "%s" %%}%s%s' % (base, pre, blocks)
        else:
            t = pre + ''.join(stmt(0) for _ in range(R.randint(1, 4))) + '|{{ x }}|{{ y }}|{{ ns.v if ns is defined }}'
        tpl = dict(LIB)
        tpl['main'] = t
        opts = {}
        if R.random() < 0.25:
            opts['undefined'] = R.choice(['strict', 'chainable', 'debug'])
        cases.append(mk(tpl, ctx={'x': 'cx', 'y': 'cy'} if R.random() < 0.5 else {}, **opts))
    check(cases, 'scoping seed %d' % seed)


if __name__ == '__main__':
    run(int(sys.argv[1]), int(sys.argv[2]))
