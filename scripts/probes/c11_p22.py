import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ '%.3s|%5.1f|%-6d|%06.2f|%+.2e|%#x|%#o|% d'|format('abcdef', 3.14159, 42, 2.5, 12345.678, 255, 8, 5) }}
{{ '%s %s'|format(*[1, 2]) }}
{{ '%(a)s %(a)r'|format(a='x') }}
{{ '%s'|format((1, 2)) }}
{{ '%s %s'|format((1, 2)) }}
{{ '%d'|format('x') }}
{{ '%d'|format(3.9) }}|{{ '%i'|format(true) }}|{{ '%f'|format(1) }}|{{ '%s'|format(none) }}|{{ '%r'|format(none) }}|{{ '%a'|format('é') }}
{{ '%.0f %.0f %.0f'|format(0.5, 1.5, 2.5) }}|{{ '%g %g %g'|format(1e-5, 123456789, 0.0001) }}|{{ '%G'|format(1e-10) }}
{{ '%5%'|format() }}
{{ '%c%c'|format('a', 66) }}
{{ '%*d'|format(5, 1) }}
{{ '%z'|format(1) }}
{{ '{:>{w}}'.format('a', w=4) }}|{{ '{0}{0}'.format('x') }}|{{ '{:^7.2f}'.format(3.14159) }}|{{ '{:+}'.format(5) }}|{{ '{:_}'.format(1234567) }}|{{ '{:.3}'.format('abcdef') }}|{{ '{:c}'.format(97) }}
{{ '{}'.format(none) }}|{{ '{!s}'.format([1]) }}|{{ '{:10}'.format(none) }}
{{ '{a.b}'.format(a={'b': 1}) }}
{{ '{a[b]}'.format(a={'b': 1}) }}
{{ '{:%Y}'.format(1) }}
{{ '{} {}'.format(1) }}
{{ '{0} {}'.format(1, 2) }}
{{ 1e16|int }}|{{ 1e100|int }}|{{ (2**100)|float }}|{{ 2**1000 / 2**999 }}|{{ 10**400 // 7 % 1000 }}|{{ (10**20)|round(-5) }}|{{ 123|round(1) }}|{{ (-7)|round }}
{{ 1e308 * 10 }}|{{ -1e308 * 10 }}|{{ (1e308 * 10) - (1e308 * 10) }}|{{ [1e308 * 10]|tojson }}
{{ 2**10000 * 1.0 }}
{{ 7 // 0.0 }}
{{ 0.0 ** -1 }}
{{ 2 ** 0.5 ** 2 }}|{{ (-2) ** 2 }}|{{ -2 ** 0.5 }}|{{ 10 % 3.5 }}|{{ -10 // 3.0 }}|{{ 5 / -2 }}|{{ 1 - -1 }}|{{ 1 + +1 }}|{{ - - 1 }}
{{ 3 * 'ab' * 2 }}|{{ [0] * -1 }}|{{ 'a' * true }}|{{ 'x' * 0 }}
{{ 'a' * 1.5 }}
{{ [1] + (2,) }}
{{ {'a': 1} + {'b': 2} }}
{{ 'a' < none }}
{{ 1 == 1.0 == true }}|{{ 'a' != 'A' }}|{{ [1, 2] == [1, 2.0] }}|{{ (1,) == [1] }}|{{ {'a': 1} == {'a': 1.0} }}|{{ none == false }}|{{ 0 == '' }}
'''
check([mk(l) for l in T.strip().split('\n')], 'misc fmt')
