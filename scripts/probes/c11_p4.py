import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ n.real }} {{ n.imag }} {{ n.numerator }} {{ n.denominator }}
{{ f.real }} {{ f.is_integer() }} {{ f.hex() }}
{{ n.bit_length() }} {{ n.to_bytes }}
{{ n.conjugate() }} {{ f.as_integer_ratio() }}
{{ (3).__add__(4) }}
{{ s.__len__() }}
{{ l.__getitem__(0) }}
{{ d.__contains__('a') }}
{{ s|attr('upper')() }}
{{ s.upper }}
{{ l.append }}
{{ d.items }}
{{ range(3).start }} {{ range(1, 10, 2).step }} {{ range(5).index(3) }} {{ range(5).count(2) }}
{{ range(10)[2:5] }} {{ range(10)[-1] }} {{ range(5)|reverse|list }} {{ range(0) }} {{ range(5, 0, -2)|list }} {{ range(1, 10, 3) }}
{{ range(3) == range(3) }} {{ 3 in range(5) }} {{ range(3)|length }} {{ range(3)[5] }}
{{ range(3)|string }} {{ range(0, 3)|tojson }}
{{ lipsum }}
{{ cycler(1, 2).next() }}
{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.current }}{{ c.next() }}{{ c.reset() }}{{ c.current }}
{% set j = joiner('|') %}{% for x in [1, 2, 3] %}{{ j() }}{{ x }}{% endfor %}
{{ joiner() }}
{{ namespace() }}
{{ namespace(a=1) }}
{% set ns = namespace(a=1) %}{% set ns.b = [1] %}{{ ns.b }}{{ ns.a }}{{ ns.c }}
{% set ns = namespace(a=1) %}{{ ns['a'] }}
{{ dict(a=1, b=2)|dictsort }} {{ dict() }}
{{ dict([('a', 1)]) }}
{{ dict({'a': 1}, b=2) }}
{{ dict(1) }}
{{ range('a') }}
{{ range(1, 2, 0) }}
{{ cycler() }}
{{ cycler().next() }}
{{ s[::2] }} {{ s[-2:] }} {{ s[10:] }} {{ l[::-1] }} {{ s[1:-1:2] }}
{{ s[1.5] }}
{{ l['a'] }}
{{ l[none:2] }}
{{ d[none] }}
{{ n[0] }}
{{ s[100] }}
{{ s.missing.deeper }}
'''
ctx = {'n': 10, 'f': 2.5, 's': 'hello', 'l': [1, 2, 3], 'd': {'a': 1}}
cases = [mk(l, ctx=ctx) for l in T.strip().split('\n')]
check(cases, 'attrs')
