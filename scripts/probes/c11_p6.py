import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{% for x in [1,2,3] %}{{ loop.cycle('a', 'b') }}{{ loop.changed(x > 1) }}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}
{% for x in [1,2,3] %}{{ loop.cycle() }}{% endfor %}
{% for x in [] %}{% else %}{{ loop }}{% endfor %}
{% for x in [1] %}{{ loop }}{% endfor %}
{% for x in [1] %}{{ loop.nextitem }}|{{ loop.previtem }}|{{ loop.length }}|{{ loop.revindex0 }}{% endfor %}
{% for x in 'ab' recursive %}{{ loop.depth }}{% endfor %}
{% for a, b in [[1, 2], [3, 4]] %}{{ a }}{{ b }}{% endfor %}
{% for a, b in [[1, 2, 3]] %}{{ a }}{% endfor %}
{% for a, b in [[1]] %}{{ a }}{% endfor %}
{% for a, b in [1] %}{{ a }}{% endfor %}
{% for (a, b), c in [((1, 2), 3)] %}{{ a }}{{ b }}{{ c }}{% endfor %}
{% set a, b = 1, 2 %}{{ a }}{{ b }}
{% set a, b = [1] %}{{ a }}
{% set a, b = 'xy' %}{{ a }}{{ b }}
{% set (a, b), c = (1, 2), 3 %}{{ a }}{{ c }}
{% for x in [1, 2, 3] if x > 1 %}{{ loop.index }}/{{ loop.length }}{% endfor %}
{% for x in {'a': 1, 'b': 2} %}{{ x }}{% endfor %}
{% for k, v in {'a': 1}|dictsort %}{{ k }}{{ v }}{% endfor %}
{% for x in none %}{{ x }}{% endfor %}
{% for x in 5 %}{{ x }}{% endfor %}
{% for x in [1, 2] %}{% for y in [3] %}{{ loop.index }}{{ x }}{% endfor %}{{ loop.index }}{% endfor %}
{% for x in [1, 2, 3] %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}
{% for x in [[1, [2]], [3, []]] recursive %}{{ x[0] if x[0] is number else x }}{% if x[1] %}({{ loop(x[1]) }}){% endif %}{% endfor %}
{% for x in [1, 2] %}{% set y = x %}{% endfor %}{{ y }}
{% for x in [1, 2] %}{{ x }}{% else %}none{% endfor %}{{ x }}
{{ [1, 2, 3]|batch(2)|list }} {{ [1, 2, 3]|batch(2, 'x')|list }} {{ []|batch(2)|list }}
{{ [1, 2, 3, 4, 5]|slice(2)|list }} {{ [1, 2, 3]|slice(5)|list }} {{ [1, 2, 3]|slice(2, 0)|list }}
{{ [1, 2, 3]|batch(0)|list }}
{{ [1, 2, 3]|slice(0)|list }}
{{ users|sum(attribute='age') }} {{ [1, 2]|sum(start=10) }} {{ [[1], [2]]|sum(start=[]) }}
{{ ['a', 'b']|sum }}
{{ users|map(attribute='name')|join(',') }} {{ users|map(attribute='missing', default='d')|list }} {{ users|map('upper')|list }}
{{ [1, 2, 3]|map('string')|join }} {{ ['1', '2']|map('int')|sum }} {{ [1.5, 2.5]|map('round')|list }} {{ [3, 4]|map('pow', 2)|list }}
{{ users|selectattr('age', 'gt', 30)|map(attribute='name')|list }} {{ users|rejectattr('age')|list|length }} {{ [1, 0, 2]|select|list }} {{ [1, 2, 3]|reject('odd')|list }}
{{ [1, 2, 3]|select('in', [1, 3])|list }} {{ ['a', 'B']|select('upper')|list }} {{ [1, 'a']|select('string')|list }}
{{ [1, 2, 3]|select('nonexistent')|list }}
{{ users|min(attribute='age') }} {{ ['B', 'a']|min }} {{ ['B', 'a']|max(case_sensitive=true) }} {{ []|min }}
{{ [3, 1, 2]|sort(reverse=true) }} {{ users|sort(attribute='age,name')|map(attribute='name')|list }} {{ ['b', 'A', 'a']|sort }} {{ ['b', 'A', 'a']|sort(case_sensitive=true) }}
{{ ['a', 'A', 'b']|unique|list }} {{ ['a', 'A', 'b']|unique(case_sensitive=true)|list }} {{ users|unique(attribute='age')|map(attribute='name')|list }}
{{ {'b': 1, 'a': 2}|dictsort(by='value') }} {{ {'b': 1, 'a': 2}|dictsort(reverse=true) }} {{ {'b': 1}|dictsort(by='x') }}
{{ users|groupby('age')|map(attribute='grouper')|list }} {{ users|groupby('age')|list|first }}
{{ {'a': 1, 'b': none, 'c': true}|xmlattr }} {{ {'a b': 1}|xmlattr }}
{{ 'a b  c'|wordcount }} {{ 'hello'|truncate(3) }} {{ 'hello world foo'|truncate(9) }} {{ 'hello world foo'|truncate(9, true) }} {{ 'hello world foo'|truncate(11, false, '..', 0) }}
{{ 'a\nb'|indent }} {{ 'a\nb'|indent(2, true) }} {{ 'a\n\nb'|indent(2, blank=true) }} {{ 'a\nb'|indent('> ') }}
{{ {'a': [1, 2]}|tojson(indent=2) }} {{ 'x<y'|tojson }} {{ [1.0, none, true]|tojson }}
{{ 1000|filesizeformat }} {{ 1024|filesizeformat(true) }} {{ 1500000|filesizeformat }} {{ -1|filesizeformat }} {{ 1e30|filesizeformat }}
{{ 2.5|round }} {{ 2.55|round(1) }} {{ 2.5|round(0, 'floor') }} {{ 2.1|round(0, 'ceil') }} {{ 5|round }} {{ 2.5|round(method='x') }}
{{ '<a>x &amp; y</a>'|striptags }} {{ '  a   b  '|striptags }} {{ "it's a dog's-life"|title }} {{ 'hELLO wORLD'|capitalize }}
{{ 'abc'|center(9) }} {{ 'x'|list }} {{ {'a': 1}|list }} {{ 'abc'|reverse }} {{ {'a': 1}|length }}
{{ [1, 2]|join(', ', attribute=none) }} {{ users|join(', ', attribute='name') }}
{{ 'x'|attr('nope') }}
{{ 'hello'|replace('l', 'L', 1) }} {{ 'aaa'|replace('', '-') }}
{{ 'www.example.com'|urlize }} {{ 'foo@bar.com'|urlize }} {{ 'http://x.com/very/long/path'|urlize(10) }} {{ 'http://x.com'|urlize(nofollow=true, target='_blank') }}
{{ 'a&b c'|urlencode }} {{ {'a': 'x&y'}|urlencode }} {{ [('a', 1)]|urlencode }} {{ 'ü/'|urlencode }}
{{ 'abc'|first }} {{ []|first }} {{ 'abc'|last }} {{ {'a': 1}|first }}
{{ [1, 2, 3]|random is number }}
{{ 'x'|string|e }} {{ '<'|forceescape|forceescape }} {{ none|string }} {{ none|default('d') }} {{ false|default('d', true) }}
{{ '3.5'|float }} {{ 'x'|float(1.5) }} {{ '0x1A'|int(0, 16) }} {{ '0b11'|int(base=0) }} {{ ' 12 '|int }} {{ '1_000'|int }} {{ 3.9|int }} {{ '3.9'|int }} {{ true|int }} {{ 'inf'|float }} {{ '1e3'|float }} {{ none|int }}
{{ -3|abs }} {{ -2.5|abs }} {{ 'a'|abs }}
{{ [1, 2]|items }}
{{ {'b': 1, 'a': 2}|items|list }}
{{ 'x'|pprint }} {{ {'a': [1, 'b']}|pprint }}
{{ [3, 2]|max }} {{ 'bca'|max }} {{ users|max(attribute='age')|attr('name') }}
{{ 'Hello World'|lower|wordcount }}
'''
ctx = {'users': [{'name': 'ann', 'age': 31}, {'name': 'bob', 'age': 25}, {'name': 'cy', 'age': 31}]}
cases = [mk(l, ctx=ctx) for l in T.strip().split('\n')]
cases += [mk(l, ctx=ctx, autoescape=True) for l in T.strip().split('\n')]
check(cases, 'loops+filters')
