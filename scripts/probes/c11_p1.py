import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ 'a,b,,c'.split(',') }}
{{ 'a b  c'.split() }}
{{ 'a,b,c'.split(',', 1) }}
{{ 'a,b,c'.rsplit(',', 1) }}
{{ 'abc'.partition('b') }}
{{ 'abc'.rpartition('x') }}
{{ '42'.zfill(5) }}
{{ '-42'.zfill(5) }}
{{ 'ab'.center(7, '*') }}
{{ 'ab'.ljust(5, '.') }}|{{ 'ab'.rjust(5) }}
{{ 'hello'.count('l') }}
{{ 'hello'.find('l') }} {{ 'hello'.rfind('l') }} {{ 'hello'.index('e') }}
{{ 'hello'.index('z') }}
{{ 'hello'.startswith(('x', 'h')) }}
{{ 'hello'.endswith('lo', 0, 4) }}
{{ '-'.join(['a', 'b']) }}
{{ 'xxhixx'.strip('x') }} {{ 'xxhixx'.lstrip('x') }} {{ 'xxhixx'.rstrip('x') }}
{{ 'Hello'.swapcase() }} {{ 'HeLLo'.casefold() }}
{{ 'a\tb'.expandtabs(4) }}
{{ 'a\nb\r\nc'.splitlines() }}
{{ 'a\nb\n'.splitlines(true) }}
{{ '123'.isdigit() }} {{ 'abc'.isalpha() }} {{ 'a1'.isalnum() }} {{ '  '.isspace() }} {{ 'Ab'.istitle() }} {{ 'ab'.islower() }} {{ 'AB'.isupper() }}
{{ 'hello world'.title() }} {{ 'hello world'.capitalize() }}
{{ '{} and {}'.format(1, 'x') }}
{{ '{0:>5}|{1:.2f}'.format('a', 3.14159) }}
{{ '{name}!'.format(name='bob') }}
{{ '{:,}'.format(1234567) }}
{{ '{:08.3f}'.format(-3.5) }}
{{ '{:x} {:o} {:b} {:X}'.format(255, 8, 5, 255) }}
{{ '{:e}'.format(12345.678) }}
{{ '{:%}'.format(0.25) }}
{{ '{!r}'.format('a') }}
{{ '{0[0]}'.format([5]) }}
{{ 'abc'.replace('b', 'x', 0) }}
{{ 'aaa'.replace('a', 'b', 2) }}
{{ 'abc'.encode }}
{{ 'Hello'.upper().lower() }}
{{ 'a-b'.removeprefix('a-') }} {{ 'a-b'.removesuffix('-b') }}
{{ 'abc'.translate }}
{{ 'x'.format_map({}) }}
{{ '%s' % 1 }}
{{ '%d items' % 3 }}
{{ '%5.2f' % 3.14159 }}
{{ '%s-%s' % (1, 2) }}
{{ '%(a)s' % {'a': 1} }}
{{ '%c' % 65 }}
{{ '%r' % 'x' }}
{{ '%x' % 255 }}
{{ '%%' % () }}
{{ '%s' % [1, 2] }}
{{ '%i' % 3.7 }}
{{ '%e' % 1234.5 }}
{{ '%g' % 0.00001234 }}
{{ '%10s|' % 'a' }}{{ '%-10s|' % 'a' }}
{{ '%05d' % -42 }}
{{ '%+d' % 5 }}
'''
cases = [mk(l) for l in T.strip().split('\n')]
check(cases, 'str methods')
