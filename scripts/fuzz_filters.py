#!/usr/bin/env python3
"""Differential fuzzer for builtin filters, tests, methods and values: random expressions
applying every builtin filter and test (chained 1-3 deep, positional and keyword arguments
drawn from pools of plausible, edge and wrong-typed arguments) to values drawn from a typed
pool (ints incl. huge/negative/zero, floats incl. -0.0/inf/nan/1e16, bools, None, strings
incl. empty/unicode/HTML specials/numeric, Markup, lists/tuples/dicts/nested, int-keyed
dicts, undefined names, range, lists of dicts), plus str/dict/list method calls, operators
across types, `%`/`.format` formatting and reprs of values, each under autoescape off/on and
a random undefined kind; rendered by Python Jinja2 and by `jinjac render`, printing every
difference (see scripts/conform_probe.py). Outputs naming an object address are skipped.

usage: python3 scripts/fuzz_filters.py SEED COUNT [filters|tests|methods|ops|values|complex]
(`complex`: operators, filters, tests and formatting of complex numbers, negative numbers
raised to fractional powers, against every number kind)
"""
import random
import sys

sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from conform_probe import check  # noqa: E402
from conform_probe import mk as _mk  # noqa: E402

PRE = '{% set inf = n * 1e308 * 1e308 %}{% set nan = inf - inf %}'


def mk(t, **kw):
    return _mk(PRE + t, **kw)

CTX = {
    'users': [{'name': 'Ann', 'age': 31, 'city': 'Oslo', 'tags': ['a', 'b'], 'addr': {'zip': '01'}},
              {'name': 'bob', 'age': 25, 'city': 'Rome', 'tags': [], 'addr': {'zip': '02'}},
              {'name': 'Cid', 'age': 31, 'city': 'oslo', 'tags': ['c']}],
    'n': 7, 'z': 0, 'neg': -4.5, 'f': 3.14159, 'fl': 2.0, 'big': 12345678901234567890123,
    's': '  Hello World  ', 'html': '<b>x & y</b>', 'empty': [], 'd': {'b': 2, 'a': 1, 'C': 3},
    'nested': {'a': {'b': {'c': 42}}, 'l': [1, [2, 3]]}, 'none': None, 't': True, 'fa': False,
    'ml': 'one\ntwo\n\nfour', 'uni': 'élan Straße ǅ ﬁ', 'num': '42', 'numf': ' 3.5e2 ',
    'ws': ' \t\n', 'words': 'the quick brown fox jumps over the lazy dog', 'url': 'see https://ex.com/a?b=1&c=2 and www.t.org, me@x.io',
    'lst': [3, 1, 2, 1], 'mixed': ['b', 'A', 'a', 'B'], 'strs': ['x', 'y'], 'fls': [1.5, 2, -0.0],
}

VALUES = ['n', 'z', 'neg', 'f', 'fl', 'big', '-0.0', '1e16', '0.1', '1e-7', 'inf', '-inf', 'nan', '10**20', '-7', '3',
          't', 'fa', 'none', "''", 's', 'html', 'html|safe', "'<i>'|safe", 'uni', 'num', 'numf', 'ws', 'words', 'url', 'ml', "'-12'", "'0x1f'", "'1_000'", "'abc'",
          "'a,b,,c'", "'Title case'", 'lst', 'mixed', 'strs', 'fls', 'empty', '(1, 2)', '()', '(1,)', 'd', "{1: 'a', 2: 'b'}", "{}", 'nested', 'users',
          'range(5)', 'range(0)', 'range(10, 0, -3)', 'undefinedv', 'undefinedv.x', 'nested.a', "[none, 0, '', 1]", "[[1, 2], [3]]", "['b', 'a', 'C']",
          "[1, 'a']", "d.items()", "d.keys()", "d.values()", "namespace(a=1)", "{'a': none}", "[1.5, 2.5]", "'%s-%d'", "'{}:{}'", "'ß'", "'İ'", "'\u00a0x\u2003'"]

ARGS = ['0', '1', '2', '3', '-1', '-2', '10', '100', '1.5', '-0.5', 'true', 'false', 'none', "''", "'x'", "' '", "'-'", "'<br>'", "'a'", "'name'", "'age'", "'a.b'", "'0'",
        "'addr.zip'", "'tags'", "'value'", "'key'", "'ceil'", "'floor'", "'common'", "'bogus'", "'odd'", "'even'", "'gt'", "'eq'", "'defined'", "'none'",
        "'upper'", "'length'", "'string'", "[1, 2]", "'%s'", "'...'", "'abc'", 'n', 'undefinedv', "'!'", 'big', "'a,b'", "'ab'"]

KW = {'abs': [], 'attr': [], 'batch': ['fill_with'], 'capitalize': [], 'center': ['width'], 'count': [], 'd': ['default_value', 'boolean'],
      'default': ['default_value', 'boolean'], 'dictsort': ['case_sensitive', 'by', 'reverse'], 'e': [], 'escape': [], 'filesizeformat': ['binary'],
      'first': [], 'float': ['default'], 'forceescape': [], 'format': [], 'groupby': ['default', 'case_sensitive'], 'indent': ['width', 'first', 'blank'],
      'int': ['default', 'base'], 'items': [], 'join': ['d', 'attribute'], 'last': [], 'length': [], 'list': [], 'lower': [], 'map': ['attribute', 'default'],
      'max': ['case_sensitive', 'attribute'], 'min': ['case_sensitive', 'attribute'], 'pprint': [], 'reject': [], 'rejectattr': [],
      'replace': ['count'], 'reverse': [], 'round': ['precision', 'method'], 'safe': [], 'select': [], 'selectattr': [], 'slice': ['fill_with'],
      'sort': ['reverse', 'case_sensitive', 'attribute'], 'string': [], 'striptags': [], 'sum': ['attribute', 'start'], 'title': [], 'tojson': ['indent'],
      'trim': ['chars'], 'truncate': ['length', 'killwords', 'end', 'leeway'], 'unique': ['case_sensitive', 'attribute'], 'upper': [], 'urlencode': [],
      'urlize': ['trim_url_limit', 'nofollow', 'target', 'rel', 'extra_schemes'], 'wordcount': [], 'wordwrap': ['width', 'break_long_words', 'wrapstring', 'break_on_hyphens'],
      'xmlattr': ['autospace'], 'split': [], 'lower': []}
NARGS = {'attr': 1, 'batch': 2, 'center': 1, 'd': 2, 'default': 2, 'dictsort': 3, 'filesizeformat': 1, 'float': 1, 'format': 3, 'groupby': 2, 'indent': 3,
         'int': 2, 'join': 2, 'map': 2, 'max': 2, 'min': 2, 'reject': 2, 'rejectattr': 3, 'replace': 3, 'round': 2, 'select': 2, 'selectattr': 3, 'slice': 2,
         'sort': 3, 'sum': 2, 'tojson': 1, 'trim': 1, 'truncate': 4, 'unique': 2, 'urlize': 4, 'wordwrap': 4, 'xmlattr': 1}
FILTERS = sorted(k for k in KW if k != 'split')

TESTS = ['boolean', 'callable', 'defined', 'divisibleby', 'eq', 'equalto', 'escaped', 'even', 'false', 'filter', 'float', 'ge', 'greaterthan', 'gt', 'in',
         'integer', 'iterable', 'le', 'lessthan', 'lower', 'lt', 'mapping', 'ne', 'none', 'number', 'odd', 'sameas', 'sequence', 'string', 'test', 'true',
         'undefined', 'upper', '==', '!=', '<', '>', '<=', '>=']
TARGS = ['0', '1', '2', '3', '-1', '7', '2.5', '0.0', 'none', 'true', 'false', "'a'", "'abc'", "''", '[1, 2]', 'd', 'n', 'lst', "'ab'", 'big', "'b'", 'inf', 'nan']
TEST_ARGS = {'divisibleby', 'eq', 'equalto', 'ge', 'greaterthan', 'gt', 'in', 'le', 'lessthan', 'lt', 'ne', 'sameas', '==', '!=', '<', '>', '<=', '>='}


# plausible arguments per filter, by position (keyword names from KW take the same pools)
P = {
    'attr': [["'name'", "'real'", "'a'", "'x'", "'upper'", "'items'", "'0'"]],
    'batch': [['2', '3', '1', '0', '-1', "'2'", '1.5'], ["'x'", 'none', '0', "''"]],
    'center': [['0', '5', '9', '-3', '2', '"5"']],
    'd': [["'dflt'", 'none', '0', "''", "html"], ['true', 'false', '0', '1']],
    'dictsort': [['true', 'false'], ["'key'", "'value'", "'bogus'"], ['true', 'false']],
    'filesizeformat': [['true', 'false']],
    'float': [['1.5', "'x'", 'none', '0']],
    'format': [['1', 'n', 'f', 'neg', "'a'", '2.5', 'none', "html|safe", "html", '(1, 2)', "[1]", "'%s'"]] * 3,
    'groupby': [["'city'", "'age'", "'name'", "'0'", "'nope'", "'addr.zip'", "'tags.0'", '0', '1'], ["'?'", 'none', '0']],
    'indent': [['2', '0', "'> '", '-1', "''", "'\\t'", '4'], ['true', 'false'], ['true', 'false']],
    'int': [['0', '-1', "'x'", '1.5', 'none'], ['16', '2', '8', '0', '36', '1', '37', '10']],
    'join': [["','", "''", "', '", "'<br>'", "'<br>'|safe", '1'], ["'name'", "'age'", "'0'", "'nope'"]],
    'map': [["'upper'", "'string'", "'int'", "'length'", "'first'", "'default'", "'join'", "'abs'", "'round'", "'lower'", "'e'", "'tojson'"], ["'x'", '2', "'-'"]],
    'max': [['true', 'false'], ["'age'", "'name'", "'0'", "'nope'"]],
    'replace': [["'a'", "''", "'o'", "'<'", "'l'", '1', "' '"], ["'X'", "''", "'&'", "'<b>'|safe", '2'], ['1', '0', '-1', '2', '100']],
    'round': [['0', '1', '2', '-1', '-2', '3'], ["'common'", "'ceil'", "'floor'", "'bogus'"]],
    'select': [["'odd'", "'even'", "'defined'", "'none'", "'string'", "'number'", "'lower'", "'upper'", "'gt'", "'in'", "'divisibleby'", "'sameas'", "'eq'", "'bogus'", "'true'", "'iterable'", "'mapping'"], ['1', '2', "'a'", '[1, 2]', 'none', "'abc'"]],
    'selectattr': [["'age'", "'name'", "'tags'", "'addr.zip'", "'nope'", "'0'"], ["'gt'", "'eq'", "'defined'", "'undefined'", "'odd'", "'in'", "'string'", "'lower'", "'none'"], ['30', '25', "'Ann'", "['a']", "'Oslo'"]],
    'slice': [['2', '3', '1', '0', '5', "'2'"], ["'x'", 'none', '0']],
    'sort': [['true', 'false'], ['true', 'false'], ["'age'", "'name'", "'age,name'", "'name,age'", "'nope'", "'0'", "'city'", "'1'"]],
    'sum': [["'age'", "'0'", "'nope'", "'real'"], ['0', '10', '1.5', '[]', "''"]],
    'tojson': [['2', '0', 'none', "'  '", '-1']],
    'trim': [["'x'", "' H'", "''", "'ld '", 'none', "'<>'"]],
    'truncate': [['5', '9', '0', '3', '20', '-1', '255'], ['true', 'false'], ["'...'", "''", "'!'", "'<>'"], ['0', '5', '-1', 'none']],
    'unique': [['true', 'false'], ["'age'", "'name'", "'0'", "'city'", "'nope'"]],
    'urlize': [['10', '3', 'none', '0', '-1'], ['true', 'false'], ["'_blank'", 'none', "'<x>'"], ["'noopener'", "''", 'none']],
    'wordwrap': [['5', '10', '1', '79', '3'], ['true', 'false'], ["'<br>'", "'\\n'", "'|'", 'none'], ['true', 'false']],
    'xmlattr': [['true', 'false']],
}
for k in ('min', 'rejectattr', 'reject'): P[k] = P[{'min': 'max', 'rejectattr': 'selectattr', 'reject': 'select'}[k]]
P['default'] = P['d']
# wild arguments: no huge ints (Jinja2 would allocate `slice(10**20)` lists)
WILD = [a for a in ARGS + VALUES[:30] if a not in ('big', '10**20', '2**64')]
REQ = {'attr': 1, 'batch': 1, 'groupby': 1, 'replace': 2, 'slice': 1}
STRV = ['s', 'html', 'html|safe', "'<i>'|safe", 'uni', 'num', 'numf', 'ws', 'words', 'url', 'ml', "'-12'", "'0x1f'", "'1_000'", "'abc'", "''", "'a,b,,c'",
        "'Title case'", "'ß'", "'İ'", "'\u00a0x\u2003'", "'a-b c_d'", "'<p>a</p>\n<br/>b'", "'&amp; &lt;'", "'a\tb'", "'0b101'", "' 12 '", "'1e3'", "'-0'"]
NUMV = ['n', 'z', 'neg', 'f', 'fl', 'big', '-0.0', '1e16', '0.1', '1e-7', 'inf', '-inf', 'nan', '10**20', '-7', '3', 't', 'fa', '2.5', '-2.5', '1023',
        '1024', '1000000', '-1536', '0.5', '123456789.987', '1.0', '-1', '2**64']
SEQV = ['lst', 'mixed', 'strs', 'fls', 'empty', '(1, 2)', '()', '(3,)', 'range(5)', 'range(10, 0, -3)', "[none, 0, '', 1]", "[[1, 2], [3]]",
        "['b', 'a', 'C']", "[1, 'a']", "d.items()", "d.keys()", "d.values()", "[1.5, 2.5]", 'users', "'abc'", "[3, 1, 2]|reverse", "['a', 'A', 'b']",
        "[1, 2, 1.0, true]", "[html, html|safe]", "[{'a': 1}, {'a': 0}]", "[[2, 'x'], [1, 'y']]", "[0, -1, 2]", 'nested.l', "[undefinedv, 1]"]
MAPV = ['d', "{1: 'a', 2: 'b'}", '{}', 'nested', "{'a': none, 'B': 0}", "users[0]", "{'b': 1, 'A': 2, 'a': 3}", "{'x': html, 'y': html|safe}",
        "{'data-x': 1, 'class': 'a b'}", "{'k': undefinedv}", "{'a b': 1}", "{'<': '>'}"]
KINDS = {'str': STRV, 'num': NUMV, 'seq': SEQV, 'map': MAPV, 'any': VALUES}
FIN = {'abs': 'num', 'batch': 'seq', 'capitalize': 'str', 'center': 'str', 'dictsort': 'map', 'filesizeformat': 'num', 'float': 'str', 'format': 'str',
       'groupby': 'seq', 'indent': 'str', 'int': 'str', 'items': 'map', 'join': 'seq', 'lower': 'str', 'map': 'seq', 'max': 'seq', 'min': 'seq',
       'reject': 'seq', 'rejectattr': 'seq', 'replace': 'str', 'round': 'num', 'select': 'seq', 'selectattr': 'seq', 'slice': 'seq', 'sort': 'seq',
       'striptags': 'str', 'sum': 'seq', 'title': 'str', 'trim': 'str', 'truncate': 'str', 'unique': 'seq', 'upper': 'str', 'urlencode': 'str',
       'urlize': 'str', 'wordcount': 'str', 'wordwrap': 'str', 'xmlattr': 'map', 'first': 'seq', 'last': 'seq', 'reverse': 'seq', 'list': 'seq',
       'length': 'seq', 'count': 'seq', 'tojson': 'any', 'pprint': 'any'}
KWP = {'default_value': 0, 'boolean': 1, 'case_sensitive': 0, 'by': 1, 'reverse': 0, 'binary': 0, 'default': 1, 'fill_with': 1, 'width': 0, 'first': 1,
       'blank': 2, 'base': 1, 'd': 0, 'attribute': 1, 'count': 2, 'precision': 0, 'method': 1, 'start': 1, 'indent': 0, 'chars': 0, 'length': 0,
       'killwords': 1, 'end': 2, 'leeway': 3, 'trim_url_limit': 0, 'nofollow': 1, 'target': 2, 'rel': 3, 'extra_schemes': 0, 'break_long_words': 1,
       'wrapstring': 2, 'break_on_hyphens': 3, 'autospace': 0}


def arg(R, name=None, pos=0):
    pools = P.get(name, [])
    if pos < len(pools) and R.random() < 0.9:
        return R.choice(pools[pos])
    return R.choice(WILD) if R.random() < 0.8 else R.choice(VALUES)


def filt(R, name=None):
    name = name or R.choice(FILTERS)
    pools = P.get(name, [])
    n = R.randint(REQ.get(name, 0), len(pools)) if pools else (1 if R.random() < 0.03 else 0)
    if R.random() < 0.03: n += 1
    parts = [arg(R, name, i) for i in range(n)]
    kws = [k for k in KW[name] if R.random() < 0.15]
    if name == 'selectattr' or name == 'rejectattr':
        kws = []
        if not parts: parts = [arg(R, name, 0)]
    if name == 'map' and R.random() < 0.5: parts = []; kws = ['attribute'] + (['default'] if R.random() < 0.4 else [])
    for k in kws:
        if len(parts) > KWP.get(k, 99) and R.random() < 0.9: continue  # would repeat a positional
        pos = KWP.get(k, 99)
        parts.append('%s=%s' % (k, arg(R, name, pos) if k != 'attribute' else R.choice(P['sort'][2])))
    if name == 'format' and R.random() < 0.2:
        parts = ['%s=%s' % (R.choice('ab'), arg(R))]
    return name + ('(%s)' % ', '.join(parts) if parts or R.random() < 0.1 else '')


def tail(R):
    return R.choice(['', '', '', '|list', '|string', '|length', '|join(",")', '|pprint', ' ~ ""', '|tojson', '|first', '|e'])


def filters(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        exprs = []
        for _ in range(1 if R.random() < 0.8 else 2):
            name = R.choice(FILTERS)
            v = R.choice(KINDS[FIN.get(name, 'any')]) if R.random() < 0.75 else R.choice(VALUES)
            chain = '|'.join([filt(R, name)] + [filt(R) for _ in range(R.choice([0, 0, 0, 1, 1, 2]))])
            exprs.append('{{ %s|%s%s }}' % (v, chain, tail(R)))
        cases.append(mk('|'.join(exprs), ctx=CTX, **opts(R)))
    check(cases, 'filters seed %d' % seed)


def opts(R):
    o = {'autoescape': R.random() < 0.4}
    if R.random() < 0.3: o['undefined'] = R.choice(['strict', 'chainable', 'debug'])
    return o


def tests(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        parts = []
        for _ in range(R.randint(1, 4)):
            t = R.choice(TESTS); v = R.choice(VALUES)
            a = ''
            if t in TEST_ARGS or R.random() < 0.05:
                a = R.choice(VALUES + TARGS) if R.random() < 0.4 else R.choice(TARGS)
                a = R.choice([' ' + a, '(%s)' % a, ' ' + a]) if R.random() < 0.95 else '(%s, %s)' % (a, arg(R))
            if t in ('filter', 'test') and R.random() < 0.8: v = R.choice(["'upper'", "'odd'", "'bogus'", "'in'", "'default'", 'none', "'sameas'", "'d'"])
            neg = ' not' if R.random() < 0.2 else ''
            if R.random() < 0.15:
                parts.append('{{ %s|select(%r%s)|list }}' % (R.choice(['lst', 'mixed', '[none, 0, 1.5, "a", true]', 'users', "['A', 'b', 'Cc']"]), t, (', ' + arg(R)) if t in TEST_ARGS else ''))
            else:
                parts.append('{{ %s is%s %s%s }}' % (v, neg, t, a))
        cases.append(mk(' '.join(parts), ctx=CTX, **opts(R)))
    check(cases, 'tests seed %d' % seed)


STR_METHODS = {'upper': 0, 'lower': 0, 'title': 0, 'capitalize': 0, 'swapcase': 0, 'casefold': 0, 'strip': 1, 'lstrip': 1, 'rstrip': 1, 'split': 2, 'rsplit': 2,
               'splitlines': 1, 'partition': 1, 'rpartition': 1, 'center': 2, 'ljust': 2, 'rjust': 2, 'zfill': 1, 'replace': 3, 'startswith': 3, 'endswith': 3,
               'count': 3, 'find': 3, 'rfind': 3, 'index': 3, 'rindex': 3, 'join': 1, 'isdigit': 0, 'isalpha': 0, 'isalnum': 0, 'isspace': 0, 'isupper': 0,
               'islower': 0, 'istitle': 0, 'isdecimal': 0, 'isnumeric': 0, 'isidentifier': 0, 'isprintable': 0, 'isascii': 0, 'expandtabs': 1, 'format': 3,
               'removeprefix': 1, 'removesuffix': 1, 'format_map': 1}  # no encode: bytes are a documented gap
DICT_METHODS = {'items': 0, 'keys': 0, 'values': 0, 'get': 2, 'copy': 0, 'pop': 2, 'setdefault': 2, 'update': 1, 'popitem': 0, 'clear': 0}
LIST_METHODS = {'index': 3, 'count': 1, 'copy': 0, 'append': 1, 'pop': 1, 'insert': 2, 'extend': 1, 'remove': 1, 'reverse': 0, 'sort': 0, 'clear': 0}
SARGS = ["''", "' '", "'l'", "'o'", "'lo'", "'x'", "','", "'\\n'", "'{}'", "('He', 'x')", "('a',)", '0', '1', '2', '-1', '-3', '10', '20', 'none', "'*'", "'ab'",
         "'\u00e9'", "'  '", '1.5', 'true', "'{0}-{1}'", "[1, 2]", "['a', 'b']", "{'a': 1}"]
FORMATS = ["'{}'", "'{0}{0}'", "'{:>8}'", "'{:^9.3f}'", "'{:+d}'", "'{:,}'", "'{:_}'", "'{:x}'", "'{:#o}'", "'{:08.3e}'", "'{:%}'", "'{:.2%}'", "'{!r}'",
           "'{0!s:>5}'", "'{a}'", "'{0[0]}'", "'{0.real}'", "'{:g}'", "'{:.3g}'", "'{:n}'", "'{:c}'", "'{:b}'", "'{:=^10}'", "'{:.1}'", "'{:10}'", "'{:<}'",
           "'{{}}{}'", "'{'", "'{:s}'", "'{:d}'", "'{:.0f}'", "'{:e}'", "'{:G}'", "'{:#x}'", "'{:X}'", "'{:,.2f}'", "'{:>+010.2f}'", "'{0:{1}}'"]
PFMT = ["'%s'", "'%r'", "'%d'", "'%i'", "'%5.2f'", "'%-6s|'", "'%x'", "'%X'", "'%o'", "'%e'", "'%g'", "'%G'", "'%c'", "'%%'", "'%(a)s'", "'%+d'", "'% d'",
        "'%05d'", "'%.3s'", "'%#x'", "'%#o'", "'%10.4g'", "'%a'", "'%u'", "'%.0f'", "'%s %s'", "'%*d'", "'%.2e'"]


def methods(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        parts = []
        for _ in range(R.randint(1, 4)):
            k = R.random()
            if k < 0.45:
                m = R.choice(list(STR_METHODS)); v = R.choice(['s', 'uni', 'html', "'Hello World'", "'a,b,,c'", "''", 'ml', "'a\\tb\\tc'", "'hello'", "'ǅx'",
                                                            'html|safe', "'  x  '", 'num', "'-12'", "'abc123'", "'ß'", "'ﬁ'", "'Ab Cd'", "'a\\r\\nb\\x0bc'"])
                a = [R.choice(SARGS) for _ in range(R.randint(0, STR_METHODS[m] + (1 if R.random() < 0.1 else 0)))]
                if m == 'format': v = R.choice(FORMATS); a = [R.choice(VALUES[:30] + SARGS) for _ in range(R.randint(0, 2))]
                if R.random() < 0.1 and m in ('split', 'rsplit', 'replace', 'center', 'expandtabs', 'splitlines', 'startswith', 'count', 'find', 'format'):
                    a.append(R.choice(['maxsplit=1', 'sep=","', 'keepends=true', 'tabsize=2', 'count=1', 'a=1', 'fillchar="*"', 'width=9']))
                parts.append('{{ %s.%s(%s)%s }}' % (v, m, ', '.join(a), tail(R)))
            elif k < 0.65:
                m = R.choice(list(DICT_METHODS)); v = R.choice(['d', "{'x': 1, 2: [3]}", '{}', 'nested', "users[0]"])
                a = [R.choice(["'a'", "'x'", '2', "'zz'", 'none', '0', "{'q': 1}", "[('k', 1)]", "'b'"]) for _ in range(R.randint(0, DICT_METHODS[m]))]
                parts.append('{%% set v = %s %%}{{ v.%s(%s)%s }}{{ v }}' % (v, m, ', '.join(a), tail(R)))
            elif k < 0.85:
                m = R.choice(list(LIST_METHODS)); v = R.choice(['lst', "[3, 'a', none]", '[]', '(1, 2, 1)', 'mixed', 'range(5)', "[[1], [2]]"])
                a = [R.choice(['1', '0', '-1', "'a'", '5', 'none', '[9]', '(1, 2)', '10']) for _ in range(R.randint(0, LIST_METHODS[m]))]
                parts.append('{%% set v = %s %%}{{ v.%s(%s)%s }}{{ v }}' % (v, m, ', '.join(a), tail(R)))
            else:
                fm = R.choice(PFMT); a = R.choice(VALUES[:30] + ["(1, 2)", "{'a': 5}", "(n,)", "[1]", "'x'", "(1, 'a')"])
                parts.append('{{ %s %% %s }}' % (fm, a) if R.random() < 0.6 else '{{ %s|format(%s) }}' % (fm, a))
        cases.append(mk(' '.join(parts), ctx=CTX, **opts(R)))
    check(cases, 'methods seed %d' % seed)


OPS = ['+', '-', '*', '/', '//', '%', '**', '~', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'and', 'or']
OPV = ['n', 'z', '-7', '3', '0', '-3', '2.5', '-2.5', '0.0', '-0.0', '1e16', '0.1', 'big', '-big', '10**20', 'inf', 'nan', 't', 'fa',
       'none', "''", "'ab'", "'3'", '[1, 2]', '[]', '(1, 2)', '(1,)', 'd', '{}', "'a'|safe", "html|safe", 'undefinedv', 'range(3)', "'é'", '2**64', '-(2**63)',
       '7.0', '1.5e300', '1e-300', "{'a': 1}", "[1, [2]]", "d.keys()", "d.values()", "d.items()"]

POW = ['0', '1', '2', '3', '-1', '-2', '0.5', '-0.5', '2.5', '0.0', 't', 'fa', 'none', "''", "'ab'", '[1]', '(1,)', 'undefinedv', '-0.0', '1e3', '64', '-7']


def ops(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        parts = []
        for _ in range(R.randint(1, 4)):
            a, b = R.choice(OPV), R.choice(OPV)
            op = R.choice(OPS)
            if op == '**' or op == '*': b = R.choice(POW)  # no runaway powers or repetitions
            e = '%s %s %s' % (a, op, b)
            if R.random() < 0.2: e = '(%s) %s %s' % (e, R.choice([o for o in OPS if o not in ('**', '*')]), R.choice(OPV))
            if R.random() < 0.15: e = R.choice(['-', '+', 'not ']) + '(%s)' % e
            parts.append('{{ %s%s }}' % (e, R.choice(['', '', '', '|string', '|round(2)', ' is number', '|int', '|float', '|abs'])))
        cases.append(mk('|'.join(parts), ctx=CTX, **opts(R)))
    check(cases, 'ops seed %d' % seed)


# Complex numbers (a negative number to a fractional power) and the numbers they meet.
CXV = ['(-8) ** 0.5', '(-1) ** 0.5', '(-2.5) ** 1.5', '(-8) ** (1/3)', '(-1e-300) ** 0.5', '(-1e300) ** 0.5', '(-(10**20)) ** 0.5', 'true ** 0.5',
       '((-1) ** 0.5) * 0', '-(((-1) ** 0.5) * 0)', '((-1) ** 0.5) - 6.123233995736766e-17', '((-8) ** 0.5) * 1e308 * 1e308', '((-4) ** 0.5) + 3',
       '((-2) ** 0.5).conjugate()', 'n ** 0.5', '(n - 20) ** 0.25', 'neg ** 0.5', '(-n) ** -1.5']
CXN = ['0', '1', '-1', '2', '3', '0.5', '-0.5', '1.5', '-0.0', '0.0', '1e308', '1e-308', 'true', 'false', 'n', 'neg', 'big', 'inf', 'nan', '101', '-100', '10**30']
CXOPS = ['+', '-', '*', '/', '**', '//', '%', '==', '!=', '<', '>=', 'in']
CXF = ['', '', '|string', '|abs', '|int', '|float', '|round', '|round(1, "floor")', '|tojson', '|pprint', '|e', '|filesizeformat', ' is number', ' is integer',
       ' is float', ' is divisibleby 2', ' is eq 0', ' is sameas 0', '.real', '.imag', '.conjugate()', '|default(0)', ' ~ "|"', '|string|length', ' if x else "f"']
CXFMT = ['"%s|%r"|format(X, X)', '"%d"|format(X)', '"%.2f"|format(X)', '"%5s"|format(X)', '"{}".format(X)', '"{!r}".format(X)', '"{:.2f}".format(X)', '"{:>40}".format(X)',
         '"{:<40}|".format(X)', '"{:^40}".format(X)', '"{:e}".format(X)', '"{:g}".format(X)', '"{:G}".format(X)', '"{:.3}".format(X)', '"{:+}".format(X)', '"{: .1f}".format(X)',
         '"{:,.2f}".format(X)', '"{:#}".format(X)', '"{:z}".format(X)', '"{:010}".format(X)', '"{:%}".format(X)', '"{:n}".format(X)', '"{:.0e}".format(X)', '"{:_}".format(X)']


def cx(R):
    return R.choice(CXV) if R.random() < 0.6 else R.choice(CXN)


def complex_(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        parts = []
        for _ in range(R.randint(1, 4)):
            r = R.random()
            if r < 0.45:
                a, b = R.choice(CXV), cx(R)
                if R.random() < 0.5: a, b = b, a
                op = R.choice(CXOPS)
                if op == '**' and R.random() < 0.7: b = R.choice(CXN[:13] + CXV)
                e = '(%s) %s (%s)' % (a, op, b)
                if R.random() < 0.25: e = '(%s) %s (%s)' % (e, R.choice(CXOPS[:5]), cx(R))
                if R.random() < 0.15: e = R.choice(['-', '+', 'not ']) + '(%s)' % e
                parts.append('{{ (%s)%s }}' % (e, R.choice(CXF)))
            elif r < 0.7:
                parts.append('{{ (%s)%s }}' % (R.choice(CXV), R.choice(CXF)))
            elif r < 0.85:
                parts.append('{{ %s }}' % R.choice(CXFMT).replace('X', '(%s)' % R.choice(CXV)))
            else:
                items = ', '.join(cx(R) for _ in range(R.randint(1, 4)))
                parts.append(R.choice(['{{ [%s]|sum }}', '{{ [%s]|max }}', '{{ [%s]|sort }}', '{{ [%s]|unique|list }}', '{{ {%s: 1} }}'.replace('%s', '(%s)'),
                                       '{{ [%s]|map("abs")|list }}', '{{ [%s]|groupby("real")|list }}', '{{ [%s]|select|list }}', '{{ [%s]|tojson }}',
                                       '{{ [%s][0] in [%s] }}', '{{ (%s,) }}', '{{ [%s]|join(",") }}']).replace('%s', items))
        cases.append(mk('|'.join(parts), ctx=CTX, **opts(R)))
    check(cases, 'complex seed %d' % seed)


REPRV = VALUES + ['[1.0, -0.0, 1e16, 1e-5, 0.1 + 0.2, 1/3, 2**0.5, 1e22, 123456789012345678.0]', "[html|safe, 'a\\'b', 'a\"b', \"a'b\\\"c\", '\\n\\t\\\\', '\\x00\\x7f\\u200b\\ud7ff']",
                  "{'k': [1, (2, 3)], (1, 2): none}", 'cycler(1, 2)', 'joiner(",")', 'loop', 'range(1, 10, 2)', 'lipsum', 'namespace', 'dict(a=1)',
                  "[undefinedv]", "(undefinedv,)", "{'a': undefinedv}", "d.items()|list", "[d.keys(), d.values()]", "'a'|safe|list", "[true, none, false]",
                  "1e16|string", "1e15", "123456789.123456789", "-1e-5", "1.5e-7", "2.0**70", "10.0**15", "10.0**16", "3 / 1e308", "[(1,), ()]", "{1.0: 'x', 1: 'y'}",
                  "{true: 1}", "users[0].items()|list", "'ǅ'|upper", "caller", "self", "varargs", "kwargs", "range(3)|reverse", "'a' 'b'", "(1, 2) + (3,)"]


def values(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        parts = []
        for _ in range(R.randint(1, 4)):
            v = R.choice(REPRV)
            parts.append(R.choice(['{{ %s }}', '{{ %s|string }}', '{{ [%s] }}', '{{ (%s,) }}', '{{ {"k": %s} }}', '{{ %s|pprint }}', '{{ %s ~ "" }}',
                                   '{{ "%%s"|format(%s) }}', '{{ "%%r"|format(%s) }}', '{{ "{!r}".format(%s) }}', '{{ "{}".format(%s) }}', '{{ %s|tojson }}',
                                   '{{ %s|e }}', '{{ %s|safe }}', '{{ %s|list }}', '{{ %s|length }}', '{{ %s|join }}', '{% for x in %s %}{{ x }},{% endfor %}',
                                   '{{ %s is defined }}', '{{ %s|count }}', '{{ (%s)|attr("x") }}', '{{ %s.x }}', '{{ %s[0] }}',
                                   '{{ %s["a"] }}', '{{ %s|xmlattr }}', '{{ %s|sum }}', '{{ %s|max }}', '{{ %s|dictsort }}', '{{ %s|items|list }}']).replace('%s', v))
        cases.append(mk(' '.join(parts), ctx=CTX, **opts(R)))
    check(cases, 'values seed %d' % seed)


if __name__ == '__main__':
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (3 << 29, 3 << 29))  # a runaway allocation fails instead of swapping
    seed, n = int(sys.argv[1]), int(sys.argv[2])
    {'filters': filters, 'tests': tests, 'methods': methods, 'ops': ops, 'values': values,
     'complex': complex_}[sys.argv[3] if len(sys.argv) > 3 else 'filters'](seed, n)
