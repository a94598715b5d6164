import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ [1.0, 1e100, -0.0, 1e-7, 1e16, 123456789.123456789, 0.1, 1/3, 2**0.5, 1e300*1e300] }}
{{ {'a': (1,), 'b': ('x', none)} }}|{{ ['a'|safe, '<'|e] }}|{{ [missing] }}|{{ (missing, 1) }}|{{ {'k': missing} }}
{{ d.items() }}|{{ d.keys() }}|{{ d.values() }}|{{ [d.items()] }}|{{ d.items()|list }}|{{ d.items()|length }}|{{ 'a' in d.keys() }}|{{ ('a', 1) in d.items() }}
{{ namespace(a=1) }}|{{ [namespace()] }}|{{ namespace(b=[1], a='x') }}
{% for x in [1] %}{{ [loop.index, loop.first, loop.length] }}{% endfor %}
{{ ['\'', '"', '\'"', 'é', '\n', '\\', '\x00', '\t', ' '] }}
{{ {'a': {'b': [1, (2, 3), {'c': none}]}} }}
{{ [[]] }}|{{ [{}] }}|{{ [()] }}|{{ ((),) }}|{{ ([],) }}
{{ [true, false, none] }}|{{ {true: 1, none: 2, 1.5: 3, (1, 2): 4} }}
{{ [12345678901234567890, -12345678901234567890] }}|{{ [2**64, -2**63] }}
{{ [1]|map('string')|list }}|{{ ['1']|map('int')|list }}|{{ [1, 2]|batch(1)|list }}|{{ 'ab'|slice(1)|list }}
{{ cycler(1, 2).items }}|{{ [cycler(1).current] }}
{{ [joiner] is sameas [joiner] }}
{{ d|dictsort }}|{{ d|items|list }}|{{ users|groupby('a')|list }}
{% set x = 'a' %}{{ [x, x|upper, x ~ 'b'] }}
{% set x %}<b>{% endset %}{{ [x] }}|{{ x }}|{{ x|e }}
{% autoescape true %}{% set x %}<b>{% endset %}{{ [x] }}|{{ x }}|{{ x|length }}{% endautoescape %}
{{ ['<'|safe ~ 'x'] }}|{{ [('<'|safe) + 'x'] }}|{{ [('<'|safe) * 2] }}|{{ [('<'|safe)|upper] }}|{{ [('a'|safe).upper()] }}|{{ [('%s'|safe) % '<'] }}
{{ ('<b>'|safe).replace('b', '<i>') }}|{{ ('a,b'|safe).split(',') }}|{{ ('<x>'|safe).striptags() }}|{{ ('&lt;'|safe).unescape() }}|{{ ('<'|safe).join(['<', '>']) }}
{{ ('<a>'|safe)[1] }}|{{ [('<a>'|safe)[1:]] }}|{{ ('{}'|safe).format('<') }}|{{ ('x'|safe).center(5, '<') }}|{{ [('x'|safe).partition('x')] }}
'''
ctx = {'d': {'a': 1, 'b': [2]}, 'users': [{'a': 1}, {'a': 1}]}
cases=[mk(l, ctx=ctx) for l in T.strip().split('\n')] + [mk(l, ctx=ctx, autoescape=True) for l in T.strip().split('\n')]
check(cases, 'reprs')
