import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ missing }}|{{ missing.a }}|{{ missing['a'] }}|{{ missing() }}
{{ missing|default('x') }}|{{ missing is defined }}|{{ missing is undefined }}|{{ missing is none }}
{{ missing ~ 'a' }}
{{ missing + 1 }}
{{ missing|length }}
{{ missing|list }}|{{ missing|join }}|{{ missing|upper }}|{{ missing|string }}|{{ missing|int }}|{{ missing|e }}
{{ missing == missing }}|{{ missing != 1 }}|{{ missing in [1] }}
{{ 1 in missing }}
{% if missing %}y{% else %}n{% endif %}|{{ not missing }}|{{ missing and 1 }}|{{ missing or 2 }}
{% for x in missing %}{{ x }}{% endfor %}|{{ missing|first }}
{{ [missing] }}|{{ {'a': missing} }}|{{ (missing,) }}
{{ missing|tojson }}
{{ missing.a.b.c }}
{{ d.missing }}|{{ d.missing.x }}
{{ d['missing']|default('z') }}|{{ d.a.missing }}
{{ missing|attr('x') }}
{{ missing|pprint }}
{{ "%s"|format(missing) }}
{{ missing|safe }}|{{ missing|center(5) }}
{% set x = missing %}{{ x }}|{{ x is defined }}
{{ missing[0] }}|{{ missing.__class__ }}
{{ missing|sort }}|{{ missing|reverse }}|{{ missing|unique|list }}|{{ missing|sum }}|{{ missing|batch(2)|list }}
{{ missing|count }}|{{ missing|wordcount }}|{{ missing|trim }}|{{ missing|title }}|{{ missing|replace('a', 'b') }}
{{ missing|dictsort }}
{{ missing|items|list }}
{{ missing|min }}|{{ missing|max }}
{{ missing|round }}|{{ missing|abs }}
{{ missing|float }}|{{ missing|filesizeformat }}
{{ -missing }}
{{ missing * 2 }}
{{ missing ~ missing }}
{{ missing is string }}|{{ missing is iterable }}|{{ missing is callable }}|{{ missing is sameas missing }}|{{ missing is mapping }}
{{ missing < 1 }}
{{ missing|select|list }}|{{ missing|map('upper')|list }}
{{ missing|truncate(3) }}|{{ missing|indent }}|{{ missing|xmlattr }}
{{ missing|urlencode }}|{{ missing|striptags }}|{{ missing|capitalize }}|{{ missing|lower }}
{{ missing|groupby('a')|list }}
{{ missing|forceescape }}|{{ missing|urlize }}|{{ missing|wordwrap(5) }}
{% for a, b in missing|dictsort %}{% endfor %}ok
{{ missing.items() }}
{{ d.a.upper() }}|{{ d.a.nope() }}
'''
ctx = {'d': {'a': 'x'}}
cases=[]
for l in T.strip().split('\n'):
    for u in ['default', 'strict', 'chainable', 'debug']:
        cases.append(mk(l, ctx=ctx, undefined=u))
check(cases, 'undef')
