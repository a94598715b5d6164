import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ 'a-very-long-word here'|wordwrap(5) }}|{{ 'a-very-long-word here'|wordwrap(5, false) }}|{{ 'a-very-long here'|wordwrap(5, break_on_hyphens=false) }}|{{ 'a b c d'|wordwrap(3, wrapstring='<br>') }}
{{ 'aaa bbb\n\nccc ddd'|wordwrap(4) }}|{{ '  lead  spaces  '|wordwrap(6) }}|{{ 'tab\there x'|wordwrap(5) }}
{{ 1234.5678|round(-2) }}|{{ 1234|round(-2) }}|{{ 0.5|round }}|{{ 1.5|round }}|{{ -0.5|round }}|{{ 1e20|round(2) }}|{{ 2.675|round(2) }}
{{ '1e3'|int }}|{{ '1.5e3'|float }}|{{ '1_0'|float }}|{{ ' 0x10 '|int(0) }}|{{ '010'|int(0) }}|{{ '010'|int(8) }}|{{ 'z'|int(36) }}|{{ '-0b1'|int(0) }}|{{ '+5'|int }}|{{ '1e400'|float }}|{{ 'nan'|float }}|{{ '-inf'|float|int }}
{{ 1.5|sum }}
{{ [1.5, 2]|sum }}|{{ [0.1, 0.2]|sum }}|{{ []|sum }}|{{ [true, true]|sum }}
{{ '%s|%r'|format('<a>'|safe, '<b>') }}|{{ ('%s'|safe)|format('<') }}|{{ '%(a)s'|format(a='<') }}
{{ ['<a>', 'b']|join('<br>'|safe) }}|{{ ['<a>'|safe, '<b>']|join }}|{{ ['a', 'b']|join('<') }}
{{ '<x>'|indent(2) }}|{{ ('<x>\ny'|safe)|indent(2, true) }}
{{ users|map(attribute='name')|map('upper')|join('-') }}|{{ users|map('attr', 'name')|list }}|{{ [[1, 2], [3]]|map('length')|list }}|{{ ['a', 'b']|map('replace', 'a', 'z')|list }}
{{ [1, 2, 3]|map('default')|list }}|{{ [1]|map(attribute=0)|list }}|{{ [[1, 2]]|map(attribute='1')|list }}|{{ users|map(attribute='name.0')|list }}
{{ users|selectattr('name', 'equalto', 'bob')|list|length }}|{{ users|selectattr('name', '==', 'bob')|first }}|{{ users|rejectattr('name', 'in', ['ann'])|map(attribute='name')|list }}
{{ users|selectattr('missing')|list }}|{{ users|selectattr('missing', 'undefined')|list|length }}|{{ users|selectattr('age', 'divisibleby', 5)|list|length }}
{{ [1, 2, 3]|select('>', 1)|list }}|{{ [1, 2, 3]|select('ge', 2)|list }}|{{ [1, 2, 3]|reject('lessthan', 2)|list }}|{{ ['a', '', none]|select|list }}|{{ ['a', 'B']|select('lower')|list }}
{{ users|sort(attribute='name', reverse=true)|map(attribute='name')|join }}|{{ [[2, 'b'], [1, 'a']]|sort(attribute=0) }}|{{ [[2, 'b'], [1, 'a']]|sort(attribute='1') }}
{{ [3, 'a']|sort }}
{{ {'a': 1, 'B': 2, 'c': 0}|dictsort(true) }}|{{ {'a': 1, 'B': 2}|dictsort(false, 'value', true) }}
{{ users|groupby('age')|map(attribute='list')|list }}|{{ users|groupby('age', default=0)|list|length }}|{{ [{'a': 'X'}, {'a': 'x'}]|groupby('a')|list }}|{{ [{'a': 'X'}, {'a': 'x'}]|groupby('a', case_sensitive=true)|list }}
{% for g, items in users|groupby('age') %}{{ g }}:{{ items|map(attribute='name')|join(',') }};{% endfor %}
{% for g in users|groupby('age') %}{{ g.grouper }}={{ g.list|length }}{{ g[0] }};{% endfor %}
{{ [1, 2, 2, 1]|unique|list }}|{{ [[1], [1]]|unique|list }}
{{ [1, '1', 1.0, true]|unique|list }}
{{ {'b': 1, 'a': 2}|max }}|{{ [[1, 2], [1, 3]]|max }}|{{ users|min(attribute='name')|attr('age') }}
{{ ['b', 'A']|max }}|{{ ['b', 'A']|max(case_sensitive=true) }}|{{ [1, 'a']|max }}
{{ 'abc'|batch(2)|list }}|{{ 'abc'|slice(2)|list }}|{{ {'a': 1, 'b': 2}|batch(1)|list }}
{{ 'abcdef'|truncate(5, leeway=0) }}|{{ 'abcdef'|truncate(5) }}|{{ 'ab cd ef gh'|truncate(7, false, '') }}|{{ 'abc'|truncate(2, true, '...') }}|{{ 'abcdefgh'|truncate(5, true, '..') }}
{{ 'x'|center(4) }}|{{ 'xy'|center(5) }}|{{ 'xyz'|center(2) }}|{{ 'x'|center(-1) }}
{{ none|tojson }}|{{ {'b': 1, 'a': [1, {'c': none}]}|tojson }}|{{ 1.0|tojson }}|{{ 1e100|tojson }}|{{ 'é\x00<'|tojson }}|{{ {1: 2}|tojson }}
{{ {'a': 1}|tojson(sort_keys=true) }}
{{ [1, 2]|tojson(2) }}
{{ {'a"b': "<x y='1'>"}|xmlattr }}|{{ {'on click': 1}|xmlattr }}|{{ {'a': '<'}|xmlattr(false) }}|{{ {}|xmlattr }}
{{ {'a/b': 1}|xmlattr }}
{{ 'Hello <b>World</b> &amp; more'|striptags|wordcount }}|{{ '<!-- c -->x<br/>y'|striptags }}|{{ '<p>a</p>\n\n<p>b</p>'|striptags }}
{{ 'http://a.com.'|urlize }}|{{ '(http://a.com)'|urlize }}|{{ '<http://a.com>'|urlize }}|{{ 'https://a.com/x?y=1&z=2'|urlize }}|{{ 'mailto:a@b.com'|urlize }}|{{ 'a.b@c.de, x'|urlize }}|{{ 'ftp://x.com'|urlize }}|{{ 'example.org'|urlize }}|{{ 'x.io'|urlize }}
{{ 'http://a.com'|urlize(rel='x') }}|{{ 'http://a.com'|urlize(target='t', nofollow=true) }}|{{ 'see http://a.com/abcdefghijkl'|urlize(8) }}|{{ 'tel:123'|urlize(extra_schemes=['tel:']) }}
{{ 'abc'|filesizeformat }}
{{ 100|filesizeformat }}|{{ 1|filesizeformat }}|{{ 0|filesizeformat }}|{{ 1023|filesizeformat(true) }}|{{ 1048576|filesizeformat(true) }}|{{ 1e12|filesizeformat }}|{{ 12345678901234567890|filesizeformat }}|{{ '2000'|filesizeformat }}
{{ 'a b'|urlencode }}|{{ 'a+b=c/d?'|urlencode }}|{{ {'a': none, 'b': [1]}|urlencode }}|{{ 42|urlencode }}|{{ ['a b', 'c']|urlencode }}
{{ 3|string ~ 3|string }}|{{ 3.0|string }}|{{ [1]|string }}|{{ 'x'|string is string }}|{{ (1, 2)|string }}
{{ 'abc'|list|reverse|join }}|{{ [1, 2]|reverse|list }}|{{ {'a': 1, 'b': 2}|reverse|list }}
{{ 5|reverse }}
{{ 'abc'|length }}|{{ 5|length }}
{{ 'x'|first|upper }}|{{ [none]|first is none }}|{{ 5|first }}
{{ -5|abs }}|{{ true|abs }}|{{ -0.0|abs }}
{{ 'aaa'|replace('a', 'b', -1) }}|{{ 'aaa'|replace('a', 'b', 0) }}|{{ 5|replace('5', '6') }}|{{ '<a>'|replace('a', '<b>') }}
{{ 'a'|capitalize }}|{{ ''|capitalize }}|{{ 'aBC dEF'|capitalize }}|{{ 'ABC'|lower|title }}|{{ '1st place'|title }}|{{ 'x'|upper|lower }}
{{ '  x  '|trim('') }}|{{ 'xxaxx'|trim('x') }}|{{ 'abc'|trim('ac') }}|{{ 5|trim }}
{{ 'ab'|attr('upper')() }}|{{ {'a': 1}|attr('a') }}|{{ {'items': 1}|attr('items') }}
{{ {'items': 1}.items }}|{{ {'items': 1}['items'] }}|{{ {'keys': 1}.keys() }}|{{ {'get': 1}.get('get') }}
'''
ctx = {'users': [{'name': 'ann', 'age': 31}, {'name': 'bob', 'age': 25}, {'name': 'cy', 'age': 31}]}
cases=[mk(l, ctx=ctx) for l in T.strip().split('\n')] + [mk(l, ctx=ctx, autoescape=True) for l in T.strip().split('\n')]
check(cases, 'filters2')
