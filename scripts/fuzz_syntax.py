#!/usr/bin/env python3
"""Differential fuzzer for expression syntax: random expressions mixing operator precedence,
unary/binary operators, chained comparisons, `is`/`is not`/`in`/`not in`, conditional
expressions, filters and tests with and without parentheses, string literals with escapes and
implicit concatenation, numbers with underscores/exponents, tuples with trailing commas,
slices, attribute/item access and calls; and (mode `bad`) malformed templates, where the error
class (and, with CHECK_LINES=1, the line) must match. Rendered by Python Jinja2 and by
`jinjac render` (see scripts/conform_probe.py); prints every difference.

usage: python3 scripts/fuzz_syntax.py SEED COUNT [expr|bad]
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

CTX = {'a': 3, 'b': -2, 'f': 1.5, 's': 'ab', 'e': '', 'l': [1, 2, 3], 'd': {'k': 1, 'j': [4, 5]}, 'n': None, 't': True, 'u8': 'é'}
ATOMS = ['a', 'b', 'f', 's', 'e', 'l', 'd', 'n', 't', 'zz', '0', '1', '2', '10', '1_000', '0.5', '1e3', '2.5e-1', '1_0.0_1', '0b101', '0o17', '0x1f',
         '"x"', "'y'", '"a\\nb"', "'it\\'s'", '"\\t"', '"q" "r"', "'p' \"q\"", '""', 'true', 'false', 'none', 'True', 'None', 'False',
         '[]', '[1, 2]', '[1,]', '()', '(1,)', '(1, 2)', '{}', '{"k": 1}', '{"k": 1,}', 'd.k', 'd["j"]', 'l[0]', 'l[-1]', 'l[1:]', 'l[:2]', 'l[::2]', 'l[::-1]',
         's[0]', 's[1:]', 'd.j[0]', 'range(3)', 'l|length', 's|upper', 'l|join("-")', 'l|sum', 's.upper()', 'd.get("k")', 'zz.q', 'n.q', "'%s'|format(1)",
         '"\\u00e9"', '"\\x41"', '"\\\\"', '0.0', '-0.0', '1_2', '00', '1.', '.5', 'loop', 'lipsum is defined']
BIN = ['+', '-', '*', '/', '//', '%', '**', '~', 'and', 'or', '==', '!=', '<', '>', '<=', '>=', 'in', 'not in']
TESTS = ['defined', 'undefined', 'none', 'number', 'string', 'odd', 'even', 'divisibleby 2', 'divisibleby(3)', 'sameas none', 'iterable', 'eq 3', '== 3',
         'gt 1', 'lt(2)', 'in [1, 2]', 'boolean', 'true', 'false', 'integer', 'float', 'mapping', 'sequence', 'lower', 'upper', 'callable', 'escaped', 'filter', 'test']
FILTERS = ['string', 'int', 'float', 'length', 'upper', 'lower', 'first', 'list', 'abs', 'default(7)', 'd("D")', 'default(1, true)', 'join', 'round', 'e',
           'trim', 'reverse|list', 'string|length', 'bool' , 'tojson', 'sort|first']


def expr(R, d=0):
    k = R.random()
    if d > 3 or k < 0.3:
        return R.choice(ATOMS)
    if k < 0.55:
        return '%s %s %s' % (expr(R, d + 1), R.choice(BIN), expr(R, d + 1))
    if k < 0.62:
        return '%s %s %s %s %s' % (expr(R, d + 1), R.choice(['<', '<=', '==', '!=', '>']), expr(R, d + 1), R.choice(['<', '>', '==', 'in']), expr(R, d + 1))
    if k < 0.68:
        return R.choice(['-', 'not ', '+', '- -', 'not not ', '-+']) + expr(R, d + 1)
    if k < 0.75:
        return '%s is %s%s' % (expr(R, d + 1), R.choice(['', '', 'not ']), R.choice(TESTS))
    if k < 0.82:
        return '%s|%s' % (expr(R, d + 1), R.choice(FILTERS))
    if k < 0.88:
        e = '%s if %s' % (expr(R, d + 1), expr(R, d + 1))
        if R.random() < 0.7:
            e += ' else ' + expr(R, d + 1)
        return e
    if k < 0.94:
        return '(%s)' % expr(R, d + 1)
    return '[%s, %s]%s' % (expr(R, d + 1), expr(R, d + 1), R.choice(['', '[0]', '[1:]', '|length']))


def run_expr(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        k = R.random()
        if k < 0.7:
            t = '{{ %s }}' % expr(R)
        elif k < 0.8:
            t = '{%% set v = %s %%}{{ v }}' % expr(R)
        elif k < 0.9:
            t = '{%% if %s %%}T{%% else %%}F{%% endif %%}' % expr(R)
        else:
            t = '{%% for q in %s %%}{{ q }},{%% else %%}E{%% endfor %%}' % expr(R)
        opts = {}
        if R.random() < 0.25:
            opts['undefined'] = R.choice(['strict', 'chainable', 'debug'])
        if R.random() < 0.2:
            opts['autoescape'] = True
        cases.append(mk(t, ctx=CTX, **opts))
    check(cases, 'syntax expr seed %d' % seed)


BAD = ['{{', '}}', '{%', '%}', '{#', '#}', '{{ }}', '{% %}', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|', 'is', 'not', 'in', 'if', 'else', '=', '==',
       '1', 'x', '"s', "'", '"s"', '+', '*', '**', '~', '\n', ' ', 'endif', 'endfor', 'for', 'set', 'macro', 'block', 'endblock', 'raw', 'endraw',
       '{% if x %}', '{% endif %}', '{% for x in y %}', '{% endfor %}', '{% else %}', '{% elif x %}', '{% block b %}', '{% endblock %}', '{% set %}', '{% endset %}',
       '{% macro m() %}', '{% endmacro %}', '{% call m() %}', '{% endcall %}', '{% raw %}', '{% endraw %}', '{% with %}', '{% endwith %}', '{% filter %}',
       '{% endfilter %}', '{% extends "x" %}', '{% include %}', '{% import %}', '{% from %}', '{% break %}', '{% continue %}', '{% do %}', '{% foo %}',
       '{{ x. }}', '{{ x[ }}', '{{ 1 2 }}', '{{ x|}}', '{{ x is }}', '{{ "a }}', '{# x', '{{ 1_ }}', '{{ 1__0 }}', '{{ 0x }}', '{{ 1e }}', '{{ @ }}', '{{ $ }}',
       '{{ x y }}', '{{ (1 }}', '{{ [1 }}', '{{ {1 }}', '{{ {1: }}', '{{ a if }}', '{{ a if b else }}', '{{ not }}', '{{ -}}', '{{ x|f( }}', '{{ f(a=) }}',
       '{{ f(**a, b) }}', '{{ f(a=1, b) }}', '{{ f(*a, *b) }}', '{% set x.y = 1 %}', '{% set 1 = 2 %}', '{% for 1 in x %}{% endfor %}', '{% macro m(a=1, b) %}{% endmacro %}',
       '{% macro m(x.y) %}{% endmacro %}', '{% block %}{% endblock %}', '{% block a %}{% endblock b %}', '{% if %}{% endif %}', '{% for x %}{% endfor %}',
       '{% set x = %}', '{% set x, = 1 %}', '{% with a %}{% endwith %}', '{{ x.1 }}', '{{ x.1.2 }}', '{{ 1.2.3 }}', '{{ x[1:2:3:4] }}', '{{ () }}', '{{ (,) }}',
       '{{ [,] }}', '{{ a < }}', '{{ a not b }}', '{{ a is not }}', '{% endfor %}', '{% else %}', '{{ x|default(1 }}', '{{ "\\x" }}', "{{ '\\u12' }}", '{{ x ! y }}',
       '{{ x !}}', '{{ x = 1 }}', '{{ a ? b }}', '{% include "t" ignore %}', '{% include "t" without %}', '{% import "t" as %}', '{% from "t" import %}',
       '{% from "t" import a, %}', '{% from "t" import a as %}', '{% import "t" as m with context %}', '{% extends %}', '{% block b scoped required %}{% endblock %}',
       '{% filter upper|%}{% endfilter %}', '{% autoescape %}{% endautoescape %}', '{% trans %}', '{{ x|e(}}', '{{ loop( }}', '{% if x %}{% elif %}{% endif %}',
       '{% for x in y if %}{% endfor %}', '{% for x in y recursive recursive %}{% endfor %}', '{% call(x %}{% endcall %}', '{% set x = 1 %}{% endset %}']


def run_bad(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        t = ''.join(R.choice(BAD) + R.choice(['', ' ', '\n', 'a', '\n\n']) for _ in range(R.randint(1, 5)))
        cases.append(mk({'main': t, 't': 'T', 'x': '{{ 1 }}'}, ctx=CTX))
    check(cases, 'syntax bad seed %d' % seed)


if __name__ == '__main__':
    seed, n = int(sys.argv[1]), int(sys.argv[2])
    {'expr': run_expr, 'bad': run_bad}[sys.argv[3] if len(sys.argv) > 3 else 'expr'](seed, n)
