#!/usr/bin/env python3
"""Differential fuzzer for whitespace control: random mixes of text (spaces, tabs, newlines,
CRLF), `{{ }}`/`{% %}`/`{# #}` with `-`/`+` modifiers on either side, raw blocks, line
breaks inside tags, and block tags of every kind (if/for/set/macro/call/filter/with/block),
under every combination of trim_blocks/lstrip_blocks/keep_trailing_newline, rendered by
Python Jinja2 and by `jinjac render` (see scripts/conform_probe.py); prints every difference.

usage: python3 scripts/fuzz_ws.py SEED COUNT
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

TEXT = ['a', 'b', ' ', '  ', '\t', '\n', '\n', '\n\n', ' \n', '\t\n', '\r\n', 'x \t', '\n  ', '\n\t', '}', '{', '%', '#', '-',
        '\r', ' \r', '\x0b', '\x0c', '\u00a0', '\u3000', '\x85', '\u2028', '\x1f', ' \u00a0\n']


def run(seed, n):
    R = random.Random(seed)

    def text():
        return ''.join(R.choice(TEXT) for _ in range(R.randint(0, 4)))

    def ws_in():
        return R.choice([' ', ' ', '', '\n', '  \n  ', '\t', '\r\n', '\x0c', '\u00a0'])

    def lmod():
        return R.choice(['', '', '', '-', '+'])

    def rmod():
        return R.choice(['', '', '', '-', '+'])

    def var():
        return '{{%s%s%s%s}}' % (R.choice(['', '', '-', '+']), ws_in(), R.choice(['x', '"s"', '1', 'y ~ "\\n"', 'none']), ws_in() + R.choice(['', '', '-']))

    def comment():
        return '{#%s%s%s#}' % (lmod(), R.choice([' c ', '\nc\n', '', ' {{ x }} ', ' %} ']), rmod())

    def tag(body):
        return '{%%%s%s%s%s%s%%}' % (lmod(), ws_in(), body, ws_in(), rmod())

    def piece(d):
        k = R.random()
        if k < 0.3:
            return text()
        if k < 0.45:
            return var()
        if k < 0.52:
            return comment()
        if k < 0.58:
            return '%s%s%s' % (tag('raw'), R.choice(['{{ x }}', ' a\n', '\n{% if %}\n', '', '  ']), tag('endraw'))
        if d > 2:
            return text()
        inner = lambda: ''.join(piece(d + 1) for _ in range(R.randint(0, 3)))  # noqa: E731
        k = R.random()
        if k < 0.2:
            s = tag('if x') + inner()
            if R.random() < 0.5:
                s += tag('elif y') + inner()
            if R.random() < 0.5:
                s += tag('else') + inner()
            return s + tag('endif')
        if k < 0.35:
            s = tag('for i in [1, 2]') + inner()
            if R.random() < 0.3:
                s += tag('else') + inner()
            return s + tag('endfor')
        if k < 0.45:
            return tag('set v') + inner() + tag('endset') + R.choice(['{{ v }}', '[{{ v }}]', ''])
        if k < 0.55:
            return tag('macro m()') + inner() + tag('endmacro') + R.choice(['{{ m() }}', '[{{ m() }}]', ''])
        if k < 0.62:
            return tag('macro c()') + '<{{ caller() }}>' + tag('endmacro') + tag('call c()') + inner() + tag('endcall')
        if k < 0.7:
            return tag('filter upper') + inner() + tag('endfilter')
        if k < 0.78:
            return tag('with z = 1') + inner() + tag('endwith')
        if k < 0.86:
            return tag('block b%d' % R.randint(0, 99999)) + inner() + tag('endblock')
        if k < 0.93:
            return tag('set q = 1')
        return tag(R.choice(['if true', 'if false'])) + inner() + tag('endif')

    cases = []
    for _ in range(n):
        t = ''.join(piece(0) for _ in range(R.randint(1, 6)))
        opts = {'trim_blocks': R.random() < 0.5, 'lstrip_blocks': R.random() < 0.5, 'keep_trailing_newline': R.random() < 0.4}
        cases.append(mk(t, ctx={'x': 'X', 'y': 'Y'}, **opts))
    check(cases, 'whitespace seed %d' % seed)


if __name__ == '__main__':
    run(int(sys.argv[1]), int(sys.argv[2]))
