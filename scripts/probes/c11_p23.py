import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ 1() }}
{{ 'a'() }}
{{ none() }}
{{ d() }}
{{ l.nope() }}
{{ 'a'.upper(1) }}
{{ 'a'.split(x=1) }}
{{ 'a'|upper(1) }}
{{ 'a'|truncate(1, 2, 3, 4, 5) }}
{{ 'a'|truncate(foo=1) }}
{{ 1 is divisibleby }}
{{ 1 is divisibleby(1, 2) }}
{{ 1 is odd(1) }}
{{ range() }}
{{ range(1, 2, 3, 4) }}
{{ range(1.5) }}
{{ dict(1, 2) }}
{{ lipsum(1, 2, 3, 4, 5) }}
{{ lipsum(n=1, html=false, min=1, max=2)|length > 0 }}
{{ cycler(1).nope() }}
{{ joiner(1, 2) }}
{{ namespace(1) }}
{{ namespace([('a', 1)]).a }}
{{ 'a'|join(1) }}
{{ [1, 2]|join(1) }}
{{ [1, 'a']|sort }}
{{ [1, none]|max }}
{{ [{'a': 1}, {}]|sort(attribute='a') }}
{{ [[1], 2]|sum }}
{{ 'abc'|batch('x') }}
{{ 'abc'|slice('x') }}
{{ 'abc'|indent('x', 'y') }}
{{ 'abc'|center('x') }}
{{ 'abc'|wordwrap('x') }}
{{ 'abc'|round }}
{{ 'abc'|abs }}
{{ 'abc'|filesizeformat }}
{{ 'abc'|int('x') }}
{{ 'abc'|float('x') }}
{{ 'abc'|string(1) }}
{{ 'abc'|default(1, 2, 3) }}
{{ 'abc'|replace('a') }}
{{ 'abc'|map }}
{{ ['a']|map('nope')|list }}
{{ ['a']|select('nope')|list }}
{{ 'abc'|groupby }}
{{ 'abc'|unique(1, 2, 3) }}
{{ 'abc'|dictsort }}
{{ {'a': 1}|dictsort(by='nope') }}
{{ 'abc'|tojson(1, 2) }}
{{ 'abc'|xmlattr }}
{{ 'abc'|urlize(1, 2, 3, 4, 5, 6, 7) }}
{{ 'abc'|attr(1) }}
{{ 'a'|format(1, a=2) }}
{{ 'abc'|min(attribute=1) }}
{{ 'abc'|selectattr }}
{{ 'abc'|first(1) }}
{{ x.y.z }}
{{ l[1:'a'] }}
{{ l[::0] }}
{{ 'abc'[::0] }}
{{ l[1.0] }}
{{ d[[1]] }}
{{ d[{}] }}
{{ 5[0] }}
'''
check([mk(l, ctx={'d': {'a': 1}, 'l': [1, 2, 3]}) for l in T.strip().split('\n')], 'call errors')
