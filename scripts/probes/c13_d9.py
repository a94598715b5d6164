#!/usr/bin/env python3
"""c13 d9: methods (str, list, dict) with keyword arguments, start/end bounds, nested format
fields and mutation seen through later reads, hand-written, under autoescape off and on."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

T = r'''
{{ 'a,b,c'.split(',', maxsplit=1) }}|{{ 'a b c'.rsplit(maxsplit=1) }}|{{ 'a,b'.split(sep=',') }}|{{ '  a  b '.split(None) }}|{{ ''.split() }}|{{ ''.split(',') }}|{{ 'abc'.split('') if false else 1 }}
{{ 'xxhixx'.strip('x') }}|{{ 'xyhiyx'.strip('xy') }}|{{ '..a..'.lstrip('.') }}|{{ '..a..'.rstrip('.') }}|{{ ' a '.strip(none) }}|{{ 'abc'.strip('') }}
{{ 'hello'.find('l', 3) }}|{{ 'hello'.find('l', 0, 2) }}|{{ 'hello'.rfind('l', 0, 3) }}|{{ 'hello'.count('l', 3) }}|{{ 'hello'.startswith('ell', 1) }}|{{ 'hello'.endswith('l', 0, 4) }}|{{ 'hello'.index('o', -2) }}
{{ 'abc'.ljust(6, '-') }}|{{ 'abc'.rjust(2) }}|{{ 'abc'.center(8, '.') }}|{{ 'abc'.center(6) }}|{{ 'ab'.center(5) }}|{{ 'a'.center(4, '*') }}|{{ '+5'.zfill(4) }}|{{ ''.zfill(3) }}
{{ '{:>{w}}'.format('x', w=5) }}|{{ '{0:{1}}'.format(3, 4) }}|{{ '{:c}'.format(65) }}|{{ '{:#x}'.format(255) }}|{{ '{:#o}'.format(8) }}|{{ '{:#b}'.format(5) }}|{{ '{:=+8}'.format(5) }}|{{ '{:08,}'.format(1234567) }}
{{ '{:.3}'.format('abcdef') }}|{{ '{:^9.2%}'.format(0.1234) }}|{{ '{:.2e}'.format(12345.678) }}|{{ '{:g}'.format(1234567.0) }}|{{ '{:.10g}'.format(1/3) }}|{{ '{:n}'.format(1234) }}|{{ '{}'.format(1e16) }}|{{ '{:.0f}'.format(2.5) }}
{{ '{a[0]}{b[k]}'.format(a=[1], b={'k': 2}) }}|{{ '{0[1]}'.format('xyz') }}|{{ '{{}}{}'.format(1) }}|{{ '{!s}|{!r}|{!a}'.format('é', 'é', 'é') }}|{{ '{0!r:>6}'.format('a') }}
{{ '{}'.format(none) }}|{{ '{}'.format(true) }}|{{ '{:d}'.format(true) }}|{{ '{}'.format([1, 'a']) }}|{{ '{}'.format({'a': none}) }}|{{ '{:>5}'.format(true) }}|{{ '{:5}'.format(none) if false else 1 }}
{{ '%-5d|' % 3 }}|{{ '%5s|' % 'ab' }}|{{ '%.2s' % 'abc' }}|{{ '%03d' % -5 }}|{{ '% d' % 5 }}|{{ '%#x' % 255 }}|{{ '%e' % 0 }}|{{ '%g' % 1e-5 }}|{{ '%c' % 'z' }}|{{ '%%' % () }}|{{ '%s %s' % ('a', ['b']) }}
{{ '%(a)s %(a)r' % {'a': 'q'} }}|{{ '%s' % (none,) }}|{{ '%s' % ((1, 2),) }}|{{ '%d' % 3.99 }}|{{ '%.1f' % 0.05 }}|{{ '%.1f' % 0.15 }}|{{ '%.2f' % 2.675 }}|{{ '%5.1f%%' % 99.55 }}
{% set l = [5, 3, 9] %}{{ l.pop(0) }}{{ l }}{{ l.pop(-1) }}{{ l }}{% set _ = l.insert(-1, 7) %}{{ l }}{% set _ = l.insert(99, 8) %}{{ l }}{% set _ = l.clear() %}{{ l }}
{% set l = ['b', 'A', 'c'] %}{% set _ = l.sort(reverse=true) %}{{ l }}{% set _ = l.sort() %}{{ l }}{{ l.index('c') }}{{ l.count('z') }}{{ l.copy() is sameas l }}{{ (l + l)|length }}
{% set d2 = {'a': 1} %}{% set _ = d2.update(b=2) %}{% set _ = d2.update({'c': 3}, d=4) %}{{ d2 }}{{ d2.popitem() }}{{ d2 }}{{ d2.setdefault('e') }}{{ d2 }}{{ d2.pop('a') }}{{ d2 }}
{% set d2 = {} %}{{ d2.fromkeys(['x', 'y']) }}|{{ d2.fromkeys('ab', 0) }}|{{ {'a': 1}.items()|first }}|{{ {'a': 1} | list }}|{% set _ = d2.__setitem__ if false %}ok
{% set d2 = {'k': [1]} %}{% set _ = d2['k'].append(2) %}{% set _ = d2.k.append(3) %}{{ d2 }}|{% set x = d2.get('k') %}{% set _ = x.append(4) %}{{ d2.k }}
{% set l = [[1], [2]] %}{% for i in l %}{% set _ = i.append(0) %}{% endfor %}{{ l }}|{% set t = (1, [2]) %}{% set _ = t[1].append(3) %}{{ t }}
{{ 'Hello World'.swapcase() }}|{{ 'hello world'.title() }}|{{ "they're".title() }}|{{ 'ǆ'.capitalize() }}|{{ 'Ab'.casefold() }}|{{ 'ß'.upper().lower() }}|{{ 'ﬃ'.title() }}
{{ 'a1'.isalnum() }}|{{ '½'.isnumeric() }}|{{ '½'.isdigit() }}|{{ '²'.isdigit() }}|{{ '²'.isdecimal() }}|{{ '٣'.isdecimal() }}|{{ 'Ⅻ'.isnumeric() }}|{{ ''.isalpha() }}|{{ 'é'.isascii() }}|{{ '\t'.isprintable() }}
{{ 'a\tb\nc'.expandtabs(2) }}|{{ '\t'.expandtabs(0) }}|{{ 'ab\tc'.expandtabs(3) }}|{{ 'a\r\nb\n'.splitlines(true) }}|{{ 'a\x0bb\x1cc'.splitlines() }}|{{ '\n'.splitlines() }}
{{ 'a-b-c'.replace('-', '+', -1) }}|{{ 'aaa'.replace('a', 'b', 2) }}|{{ 'abc'.replace('', '.') }}|{{ 'abc'.replace('', '.', 2) }}|{{ 'abc'.replace('b', '') }}
{{ 'abc'.partition('x') }}|{{ 'abc'.rpartition('x') }}|{{ 'a=b=c'.partition('=') }}|{{ 'a=b=c'.rpartition('=') }}|{{ 'abc'.removeprefix('x') }}|{{ 'abcabc'.removesuffix('abc') }}
{{ ','.join([]) }}|{{ ','.join('') }}|{{ '-'.join(d) }}|{{ '-'.join(d.values()|map('string')) }}|{{ ''.join(['a', 'b'|upper]) }}|{{ 'x'.join(range(3)|map('string')) }}
{{ 'abc'.upper is defined }}|{{ 'abc'.nope is defined }}|{{ [].append is defined }}|{{ {}.keys is defined }}|{{ (1).bit_length is defined }}|{{ 'abc'.format_map({}) if false else 1 }}
{{ users[0].name.upper() }}|{{ users[0].tags.__len__() if false else users[0].tags|length }}|{{ users|map(attribute='name')|map('upper')|join }}|{{ users[1].name.capitalize() }}
{{ s.split()|map('lower')|join('_') }}|{{ s.strip().replace(' ', '-').lower() }}|{{ words.split()|unique|list|length }}|{{ words.split()|groupby('length')|map(attribute='grouper')|list }}
{{ words.count('the') }}|{{ words.upper().count('THE ') }}|{{ words.split('fox')|length }}|{{ words.strip().split(' ')[-1] }}|{{ words.index('lazy') }}|{{ words.find('zzz') }}
{{ url.split('?')[1].split('&') }}|{{ url.partition('://')[2].split('/')[0] }}|{{ url.startswith('see') }}|{{ url.title() }}|{{ url.count('.') }}
{{ html.replace('<', '&lt;') }}|{{ html.upper() }}|{{ html.split('&') }}|{{ html.strip('<>') }}|{{ html[3:8].center(9, '_') }}|{{ html.find('&') }}
{{ (1.5).is_integer() }}|{{ (2.0).is_integer() }}|{{ (7).bit_length() }}|{{ (255).to_bytes is defined }}|{{ (1.5).as_integer_ratio() }}|{{ (-7).conjugate() }}|{{ (3.5).hex() }}|{{ (10).denominator }}
'''
cases = []
for line in T.strip('\n').split('\n'):
    for ae in (False, True):
        cases.append(mk(line, autoescape=ae))
check(cases, 'c13_d9 methods')
