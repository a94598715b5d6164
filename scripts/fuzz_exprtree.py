#!/usr/bin/env python3
"""Differential fuzzer for expression trees over typed values: random nested expressions mixing
every operator (+ - * / // % ** unary -/+/not, comparison chains, in / not in, and/or with
non-bool operands, ~, conditional expressions, slices with negative/None/step bounds,
attribute vs item access) over literals of every type (ints incl. huge and negative, floats
incl. 1e100/-0.0/1e16/0.1+0.2/inf/nan, bools, None, strings incl. unicode and HTML specials,
Markup from |safe, tuples, nested lists/dicts incl. keys 1/1.0/True that collapse) and a
random context of the same kinds (plus undefined names). Each expression is printed directly,
through |string, |tojson, |pprint, |list, |join, repr inside a list, tested in `{% if %}` and
iterated, with autoescape off or on and a random undefined kind (mode `ae` always varies both).
Rendered by Python Jinja2 and by `jinjac render` (see scripts/conform_probe.py); prints every
difference. Half of the generated trees are type-directed (mostly valid, so outputs are
compared), half mix types freely (so TypeError/ZeroDivisionError/UndefinedError paths are
compared by class).

usage: python3 scripts/fuzz_exprtree.py SEED COUNT [mixed|ae]
"""
import os
import random
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

PRE = '{% set inf = i * 1e308 * 1e308 %}{% set nan = inf - inf %}'

NUM_LIT = ['0', '1', '2', '3', '7', '-1', '-7', '10', '255', '2**64', '10**20', '-(2**63)', '1_000_000', '0.0', '-0.0', '0.5', '1.5', '2.5', '-2.5', '0.1',
           '(0.1 + 0.2)', '1e100', '1e16', '1e15', '123456789.123', '1e-5', '1e-4', '3.0', '1e22', '1e23', '2.0**53', '(1/3)', 'inf', '-inf', 'nan', 'true', 'false',
           '0x10', '0o7', '0b11', '1.', '.5']
STR_LIT = ["''", "'a'", "'ab'", "'Abc'", "'a b'", "'<b>&'", "'\"q\"'", "\"it's\"", "'é'", "'ß'", "'ǅ'", "'日本'", "'\\n'", "'\\t'", "'\\\\'", "'%s'", "'%d%%'",
           "'{}'", "'10'", "'-3'", "'1.5'", "'<i>'|safe", "'&amp;'|safe", "'x'|safe", "'\\x00'", "'\\u2028'", "'\\x7f'", "'\\U0001f600'"]
LIST_LIT = ['[]', '[1]', '[1, 2, 3]', "['a', 'b']", '[1, [2, [3]]]', "[none, true, 1.0, 'x']", '(1, 2)', '(1,)', '()', "('a', ('b',))", '[(1, 2), (3, 4)]',
            "['<x>'|safe, '<y>']", '[1.5, -0.0, 1e100]', "[{'k': 1}]", 'range(4)', 'range(5, 0, -2)', "'abc'|list", "[[], ()]"]
DICT_LIT = ['{}', "{'a': 1}", "{'a': 1, 'b': [2]}", "{1: 'x', 1.0: 'y', true: 'z'}", "{none: 0, 'n': none}", "{(1, 2): 'tup'}", "{'<': '>'}",
            "{'a': {'b': {'c': 1}}}", "{2: 'two', 'x': 1.5}", "{false: 0, 0: 1}", "{'k': '<i>'|safe}"]
CTX_NAMES = {'num': ['i', 'j', 'neg', 'fl', 'zero', 'big', 'half', 'tiny', 'nz', 'yes', 'no'],
             'str': ['s', 'es', 'uni', 'html', 'num_s', 'safe_s'],
             'list': ['l', 'el', 'nl', 'tl', 'ml', 'dl'],
             'dict': ['d', 'ed', 'nd', 'kd'],
             'none': ['nothing']}
CTX = {'i': 3, 'j': -5, 'neg': -2.5, 'fl': 0.1, 'zero': 0, 'big': 123456789012345678901234567890, 'half': 0.5, 'tiny': 1e-7, 'nz': -0.0, 'yes': True, 'no': False,
       's': 'hello', 'es': '', 'uni': 'Ünï ß ǅ', 'html': '<a href="x">&</a>', 'num_s': '42', 'safe_s': 'ok',
       'l': [1, 2, 3], 'el': [], 'nl': [[1, 2], [3, [4]]], 'tl': ['b', 'a', 'c'], 'ml': [1, 'a', None, 2.5, True], 'dl': [{'a': 1}, {'a': 2}],
       'd': {'a': 1, 'b': 'two', 'c': [3]}, 'ed': {}, 'nd': {'x': {'y': {'z': 'deep'}}}, 'kd': {'1': 'one', 'k': None}, 'nothing': None}
UNDEF = ['missing', 'missing.attr', 'd.missing', 'missing[0]', 'l[10]', 'd["nope"]', 'nothing.x']
KINDS = ['num', 'str', 'list', 'dict', 'bool', 'any']


class G:
    def __init__(self, R, free):
        self.R = R
        self.free = free

    def leaf(self, kind):
        R = self.R
        if kind == 'any' or (self.free and R.random() < 0.3):
            kind = R.choice(['num', 'str', 'list', 'dict', 'none', 'undef'])
        if kind == 'bool':
            return R.choice(['true', 'false', 'yes', 'no', 'none', 'i > 2', "'a' in s"])
        if kind == 'undef':
            return R.choice(UNDEF)
        if kind == 'none':
            return R.choice(['none', 'nothing'])
        if R.random() < 0.45:
            return R.choice(CTX_NAMES[kind])
        return R.choice({'num': NUM_LIT, 'str': STR_LIT, 'list': LIST_LIT, 'dict': DICT_LIT}[kind])

    def e(self, kind, d=0):
        R = self.R
        if d > 3 or R.random() < 0.28:
            return self.leaf(kind)
        if self.free and R.random() < 0.3:
            kind = R.choice(KINDS)
        sub = lambda k=kind: self.e(k, d + 1)  # noqa: E731
        k = R.random()
        if kind == 'num':
            if k < 0.45:
                if R.random() < 0.15:  # small exponents only: Python would compute huge powers for minutes
                    e = R.choice(['2', '3', '0', '-1', '-2', '0.5', '-0.5', 'half', 'neg', 'j', 'nan', 'inf', '-inf', '1e308', '(-3)'])
                    # (A negative base to a fractional power is complex in Python: a known
                    # difference, kept out with abs.)
                    return '(%s ** %s)' % (sub() if e in ('2', '3', '0', '-1', '-2', 'j', '(-3)') else '(%s)|abs' % sub(), e)
                return '(%s %s %s)' % (sub(), R.choice(['+', '-', '*', '/', '//', '%', '+', '-', '*']), sub())
            if k < 0.55:
                return '(%s%s)' % (R.choice(['-', '+', '- -', 'not ']), sub())
            if k < 0.65:
                return '(%s)|%s' % (sub(), R.choice(['abs', 'int', 'float', 'round', 'round(2)', 'round(1, "floor")', 'round(0, "ceil")']))
            if k < 0.75:
                return '%s|%s' % (self.e('list', d + 1), R.choice(['length', 'sum', 'count']))
            if k < 0.85:
                return '(%s if %s else %s)' % (sub(), self.e('bool', d + 1), sub())
            return '(%s)|%s' % (self.e('str', d + 1), R.choice(['length', 'int', 'float', 'wordcount']))
        if kind == 'str':
            if k < 0.3:
                return '(%s ~ %s)' % (sub(), self.e(R.choice(KINDS), d + 1))
            if k < 0.4:
                return '(%s + %s)' % (sub(), sub())
            if k < 0.5:
                return '(%s * %s)' % (sub(), R.choice(['0', '2', '-1', 'true', 'i']))
            if k < 0.65:
                return '%s[%s]' % (sub(), self.slice())
            if k < 0.75:
                return '(%s)|%s' % (sub(), R.choice(['upper', 'lower', 'title', 'capitalize', 'trim', 'e', 'safe', 'string', 'reverse', 'center(9)', 'replace("a", "<")', 'striptags', 'forceescape']))
            if k < 0.85:
                return '(%s if %s else %s)' % (sub(), self.e('bool', d + 1), sub())
            return '%s.%s' % (sub(), R.choice(['upper()', 'strip()', 'replace("l", "L")', 'split()|join("+")', 'title()', 'center(7, "*")', 'zfill(5)', 'format(1)', 'join(["x", "y"])']))
        if kind == 'list':
            if k < 0.3:
                return '(%s + %s)' % (sub(), sub())
            if k < 0.45:
                return '%s[%s]' % (sub(), self.slice())
            if k < 0.55:
                return '(%s * %s)' % (sub(), R.choice(['0', '2', '-1', 'true']))
            if k < 0.7:
                return '[%s]' % ', '.join(self.e(R.choice(KINDS), d + 1) for _ in range(R.randint(0, 3)))
            if k < 0.8:
                return '(%s,)' % self.e(R.choice(KINDS), d + 1)
            if k < 0.9:
                return '(%s)|%s' % (sub(), R.choice(['list', 'sort', 'reverse|list', 'unique|list', 'batch(2)|list', 'slice(2)|list', 'map("string")|list', 'select|list', 'reject|list']))
            return '%s.%s' % (self.e('dict', d + 1), R.choice(['keys()|list', 'values()|list', 'items()|list']))
        if kind == 'dict':
            if k < 0.5:
                return '{%s}' % ', '.join('%s: %s' % (self.leaf(R.choice(['num', 'str', 'none', 'bool'])), self.e(R.choice(KINDS), d + 1)) for _ in range(R.randint(0, 3)))
            if k < 0.7:
                return 'dict(%s)' % ', '.join('%s=%s' % (R.choice(['a', 'b', 'c', 'k']), self.e(R.choice(KINDS), d + 1)) for _ in range(R.randint(0, 2)))
            return self.leaf('dict')
        if kind == 'bool':
            if k < 0.35:
                ops = ['==', '!=', '<', '<=', '>', '>=']
                t = R.choice(['num', 'num', 'str', 'list', 'any'])
                s = self.e(t, d + 1)
                for _ in range(R.randint(1, 3)):
                    s += ' %s %s' % (R.choice(ops), self.e(t, d + 1))
                return '(%s)' % s
            if k < 0.5:
                c = R.choice(['str', 'list', 'dict'])
                return '(%s %s %s)' % (self.e(R.choice(['num', 'str', 'any']), d + 1), R.choice(['in', 'not in']), self.e(c, d + 1))
            if k < 0.7:
                return '(%s %s %s)' % (self.e(R.choice(KINDS), d + 1), R.choice(['and', 'or']), self.e(R.choice(KINDS), d + 1))
            if k < 0.8:
                return '(not %s)' % self.e(R.choice(KINDS), d + 1)
            return '(%s is %s%s)' % (self.e(R.choice(KINDS), d + 1), R.choice(['', 'not ']), R.choice(
                ['defined', 'none', 'number', 'string', 'sequence', 'mapping', 'iterable', 'integer', 'float', 'boolean', 'true', 'false', 'odd', 'even',
                 'divisibleby 3', 'eq 1', 'ne 1', 'gt 0', 'le 1.0', 'in [1, "a"]', 'sameas true', 'escaped', 'lower', 'upper', 'callable']))
        # any
        if k < 0.2:
            return '(%s %s %s)' % (self.e(R.choice(KINDS), d + 1), R.choice(['and', 'or']), self.e(R.choice(KINDS), d + 1))
        if k < 0.35:
            return '%s[%s]' % (self.e(R.choice(['list', 'dict', 'str']), d + 1), R.choice(['0', '-1', '1', "'a'", "'b'", '1.0', 'true', 'none', '(1, 2)', 'i', '"c"']))
        if k < 0.45:
            return '%s.%s' % (self.e(R.choice(['list', 'dict', 'str']), d + 1), R.choice(['a', 'b', '0', '1', 'x', 'real', 'imag', 'keys', 'items', 'upper', 'y']))
        if k < 0.6:
            return '(%s if %s%s)' % (self.e(R.choice(KINDS), d + 1), self.e('bool', d + 1), R.choice(['', ' else ' + self.e(R.choice(KINDS), d + 1)]))
        return self.e(R.choice(['num', 'str', 'list', 'dict', 'bool']), d)

    def slice(self):
        R = self.R
        b = lambda: R.choice(['', '', '0', '1', '-1', '2', '-2', '10', '-10', 'none', 'i', 'j', 'true'])  # noqa: E731
        k = R.random()
        if k < 0.3:
            return R.choice(['0', '1', '-1', '-3', '5', 'i', 'true', 'zero'])
        if k < 0.65:
            return '%s:%s' % (b(), b())
        return '%s:%s:%s' % (b(), b(), R.choice(['', '1', '2', '-1', '-2', '3', 'none', '0']))


WRAPS = ['{{ %s }}', '{{ %s }}', '{{ %s }}', '{{ (%s)|string }}', '{{ (%s)|tojson }}', '{{ (%s)|pprint }}', '{{ [%s] }}', '{{ ((%s),) }}', '{{ (%s)|list }}',
         '{{ (%s)|join("|") }}', '{%% if %s %%}T{%% else %%}F{%% endif %%}', '{%% for x in %s %%}{{ x }},{%% else %%}E{%% endfor %%}',
         '{%% set v = %s %%}{{ v }}|{{ v is defined }}', '{{ {"k": %s} }}', '{{ (%s)|e }}', '{{ "%%s|%%r"|format(%s, 1) }}', '{{ (%s)|length }}',
         '{{ "{}"|format(%s) }}', '{{ (%s)|safe ~ "<&>" }}', '{{ (%s) ~ ("<&>"|safe) }}']


def run(seed, n, mode='mixed'):
    # Python raises MemoryError on `[l] * 10**9`-like trees instead of exhausting the machine.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        g = G(R, R.random() < 0.5)
        e = g.e(R.choice(KINDS))
        t = PRE + R.choice(WRAPS) % e
        opts = {}
        if mode == 'ae' or R.random() < 0.3:
            opts['autoescape'] = R.random() < 0.5
        if mode == 'ae' or R.random() < 0.3:
            opts['undefined'] = R.choice(['default', 'strict', 'chainable', 'debug'])
        cases.append(mk(t, ctx=CTX, **opts))
    check(cases, 'exprtree %s seed %d' % (mode, seed))


if __name__ == '__main__':
    run(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else 'mixed')
