#!/usr/bin/env python3
"""Differential fuzzer for escaping across value kinds and undefined kinds: pipelines of string
operations (~, +, *, %, str.format, filters like replace/join/format/center/indent/truncate/
wordwrap/striptags/title/trim/default/string/e/safe/forceescape/urlencode/tojson/list/first/
last/sort/unique/batch/map, Markup methods) over str values with HTML specials, Markup from
|safe, numbers, None, lists of mixed str/Markup, dicts and undefined names (plain, attribute
of a value, item of a list), rendered in outputs, set blocks, filter blocks, macro returns,
caller bodies, `{% set %}` values and includes, with autoescape on or off (and a constant or
variable `{% autoescape %}` block) and every undefined kind. Rendered by Python Jinja2 and by
`jinjac render` (see scripts/conform_probe.py); prints every difference.

usage: python3 scripts/fuzz_escape.py SEED COUNT
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

CTX = {'h': '<a href="x">T&C</a>', 'q': "it's \"q\"", 'p': 'plain', 'n': 5, 'f': 2.5, 'z': None, 'l': ['<i>', 'b&', 'c'], 'e': '',
       'dd': {'k': '<v>', '<k>': 'v'}, 'u': 'ünï<cöde>', 'sp': '  <  >  ', 'ml': 'a<\nb>\n\nc', 'yes': True, 'url': 'a b&c=d/é?'}
VALS = ['h', 'q', 'p', 'n', 'f', 'z', 'l', 'e', 'dd', 'u', 'sp', 'ml', 'yes', 'url', 'h|safe', 'q|safe', "'<x>'", "'<y>'|safe", "'&amp;'|safe", 'missing',
        'missing.a', 'l[9]', 'dd.nope', 'h|e', 'h|forceescape', "h|safe|e", "(h|safe)[1:4]", "'%s'|format(h)", "'<%s>'|safe|format(h)", "['<m>'|safe, '<s>']",
        '(h|safe).upper()', "h|safe ~ h", "(h|safe) + h", "(h|safe) * 2", "(h|safe) % h", "('<%s>'|safe) % ('<',)", "'{}'.format(h)", "('{}<'|safe).format(h)",
        '1 ~ h', 'n ~ (h|safe)', 'missing ~ h', 'h ~ missing']
FILTERS = ['upper', 'lower', 'title', 'capitalize', 'trim', 'striptags', 'e', 'safe', 'forceescape', 'string', 'first', 'last', 'length', 'wordcount',
           'replace("<", "[")', 'replace("a", "<")', 'replace("<"|safe, "&")', 'center(20)', 'indent(2)', 'indent(2, true)', 'truncate(5)', 'truncate(9, true, "<…>")',
           'wordwrap(6)', 'wordwrap(5, wrapstring="<br>")', 'default("<d>")', 'default("<d>"|safe, true)', 'd(h)', 'join', 'join("<>")', 'join("<>"|safe)',
           'list', 'list|join(", ")', 'sort|join', 'unique|list', 'reverse|join', 'batch(2)|list', 'map("upper")|join', 'map("e")|list', 'tojson', 'urlencode',
           'format(h)', 'pprint', 'xmlattr', 'urlize', 'title|e', 'string|safe', 'safe|string', 'e|safe|e', 'attr("upper")', 'int', 'float', 'abs', 'round',
           'select|list', 'trim("<>")', 'split|join("|")', 'count', 'dictsort|list', 'items|list', 'min', 'max', 'sum', 'random|length']
METHODS = ['upper()', 'split("<")', 'replace("<", "{")', 'strip("<>")', 'join(["<", ">"])', 'format(h)', 'center(9, "<")', 'startswith("<")',
           'partition("<")', 'count("<")', 'title()', 'zfill(9)', 'ljust(12, "&")', 'splitlines()', 'casefold()', 'index("a")']


def pipe(R):
    v = R.choice(VALS)
    for _ in range(R.randint(0, 3)):
        k = R.random()
        if k < 0.65:
            v = '(%s)|%s' % (v, R.choice(FILTERS))
        elif k < 0.8:
            v = '(%s).%s' % (v, R.choice(METHODS))
        elif k < 0.9:
            v = '(%s %s %s)' % (v, R.choice(['~', '~', '+', 'in', '==', '!=']), R.choice(VALS))
        else:
            v = '(%s if %s else %s)' % (v, R.choice(VALS), R.choice(VALS))
    return v


def wrap(R, body):
    k = R.random()
    if k < 0.4:
        return body
    if k < 0.5:
        return '{%% set s %%}%s{%% endset %%}{{ s }}|{{ s|length }}|{{ s is escaped }}' % body
    if k < 0.6:
        return '{%% filter %s %%}%s{%% endfilter %%}' % (R.choice(['upper', 'e', 'safe', 'forceescape', 'replace("<", "[")', 'striptags', 'trim']), body)
    if k < 0.7:
        return '{%% macro m() %%}%s{%% endmacro %%}{{ m() }}|{{ m()|e }}|{{ m() ~ "<" }}|{{ m() is escaped }}' % body
    if k < 0.78:
        return '{%% macro c() %%}[{{ caller() }}|{{ caller()|length }}]{%% endmacro %%}{%% call c() %%}%s{%% endcall %%}' % body
    if k < 0.85:
        return '{%% autoescape %s %%}%s{%% endautoescape %%}' % (R.choice(['true', 'false', 'yes', 'not yes']), body)
    if k < 0.92:
        return '{%% include "inc" %%}%s' % body
    return '{%% for x in [1] %%}%s{%% endfor %%}' % body


def run(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        body = ''.join(R.choice(['{{ %s }}', '{{ %s }}', '{%% set v = %s %%}{{ v }}', '{{ [%s] }}', '{{ (%s) is escaped }}']) % pipe(R) for _ in range(R.randint(1, 3)))
        t = wrap(R, body)
        opts = {'autoescape': R.random() < 0.6}
        if R.random() < 0.6:
            opts['undefined'] = R.choice(['strict', 'chainable', 'debug', 'default'])
        cases.append(mk({'main': t, 'inc': '[{{ h }}|{{ h|safe }}|{{ missing }}]'}, ctx=CTX, **opts))
    check(cases, 'escape seed %d' % seed)


if __name__ == '__main__':
    run(int(sys.argv[1]), int(sys.argv[2]))
