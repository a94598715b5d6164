#!/usr/bin/env python3
"""c13 d1: filters, hand-written in the ceo/own style over the shared context (users, n, f, s,
html, empty, d, nested, none, words, big, url, neg), each under autoescape off and on."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

T = r'''
{{ neg|abs }} {{ -0.0|abs }} {{ big|abs }} {{ -big|abs }} {{ (-n)|abs }}
{{ f|round(2) }} {{ f|round(0, 'ceil') }} {{ neg|round(0, 'floor') }} {{ neg|round }} {{ -0.5|round }} {{ 1.5|round }} {{ big|round(-3) }}
{{ n|round(-1) }} {{ 15|round(-1) }} {{ 25|round(-1, 'ceil') }} {{ f|round(1, 'floor') }} {{ neg|round(1, 'ceil') }}
{{ users|map(attribute='name')|join(', ') }} {{ users|map(attribute='age')|sum }} {{ users|sum(attribute='age', start=10) }}
{{ users|map(attribute='tags')|sum(start=[]) }} {{ users|map(attribute='tags.0', default='-')|list }}
{{ users|selectattr('tags')|map(attribute='name')|list }} {{ users|rejectattr('tags')|map(attribute='name')|list }}
{{ users|selectattr('age', 'gt', 30)|map(attribute='name')|join }} {{ users|selectattr('city', 'equalto', 'Oslo')|list|length }}
{{ users|selectattr('name', 'in', ['Ann', 'Cid'])|map(attribute='city')|list }} {{ users|rejectattr('age', 'even')|map(attribute='name')|list }}
{{ users|sort(attribute='name')|map(attribute='name')|list }} {{ users|sort(attribute='name', case_sensitive=true)|map(attribute='name')|list }}
{{ users|sort(attribute='age,name')|map(attribute='name')|list }} {{ users|sort(attribute='city', reverse=true)|map(attribute='city')|list }}
{{ users|groupby('age')|map(attribute='grouper')|list }} {{ users|groupby('city')|map(attribute='list')|map('length')|list }}
{% for g in users|groupby('age', reverse=true) %}{{ g.grouper }}:{{ g.list|map(attribute='name')|join('/') }};{% endfor %}
{% for city, us in users|groupby('city') %}{{ city }}={{ us|map(attribute='name')|join }} {% endfor %}
{{ users|groupby('tags.0', default='none')|map(attribute='grouper')|list }}
{{ users|unique(attribute='city')|map(attribute='name')|list }} {{ users|unique(attribute='city', case_sensitive=true)|map(attribute='name')|list }}
{{ users|min(attribute='age')|attr('name') }} {{ users|max(attribute='name') }} {{ users|max(attribute='name', case_sensitive=true) }}
{{ d|dictsort }} {{ d|dictsort(true) }} {{ d|dictsort(by='value') }} {{ d|dictsort(false, 'value', true) }} {{ d|items|list }}
{{ d|list }} {{ d|length }} {{ d|first }} {{ d|last }} {{ d|sort }} {{ d|sort(case_sensitive=true) }} {{ d|min }} {{ d|max }} {{ d|sum }}
{{ d|tojson }} {{ nested|tojson }} {{ nested|tojson(2) }} {{ users|tojson(indent=1) }} {{ html|tojson }} {{ none|tojson }} {{ empty|tojson }}
{{ d|pprint }} {{ nested|pprint }} {{ html|pprint }} {{ none|pprint }} {{ f|pprint }} {{ words|pprint }}
{{ d|xmlattr }} {{ {'a': html, 'b': none, 'c': true}|xmlattr }} {{ {'data-x': 1}|xmlattr(false) }}
{{ s|trim }} [{{ s|trim('H ') }}] [{{ s|trim('d ') }}] {{ s|length }} {{ s|wordcount }} {{ s|title }} {{ s|capitalize }} {{ s|center(20) }}
{{ s|replace(' ', '') }} {{ s|replace('l', 'L', 2) }} {{ s|replace('', '-') }} {{ s|replace('o', '0', 0) }}
{{ words|truncate(20) }} {{ words|truncate(20, true) }} {{ words|truncate(20, true, '…') }} {{ words|truncate(9, false, '', 0) }}
{{ words|wordwrap(30) }}
{{ words|wordwrap(12, wrapstring='<br>') }}
{{ words|wordcount }} {{ words|striptags|length }} {{ words|title|truncate(30) }}
{{ url|urlize }} {{ url|urlize(10) }} {{ url|urlize(rel='nofollow') }} {{ url|urlize(target='_blank') }} {{ url|urlize(15, true, '_top') }}
{{ url|urlencode }} {{ d|urlencode }} {{ 'a b&c=d/é'|urlencode }} {{ [('a', 1), ('b', 'x y')]|urlencode }}
{{ html|striptags }} {{ html|e }} {{ html|forceescape }} {{ html|safe }} {{ html|length }} {{ html|wordcount }} {{ html|upper }} {{ html|reverse }}
{{ html|replace('&', 'and') }} {{ html|truncate(5) }} {{ html|center(15) }} {{ html|indent(2) }} {{ html|list|length }} {{ html|first }}
{{ empty|first }} {{ empty|last }} {{ empty|min }} {{ empty|max }} {{ empty|sum }} {{ empty|join(',') }} {{ empty|length }} {{ empty|list }}
{{ empty|batch(2)|list }} {{ empty|slice(3)|list }} {{ empty|unique|list }} {{ empty|sort }} {{ empty|reverse|list }} {{ empty|random }}
{{ empty|map('upper')|list }} {{ empty|select|list }} {{ empty|groupby('x')|list }} {{ empty|dictsort if false else 'x' }} {{ empty|tojson }}
{{ none|default('D') }} {{ none|string }} {{ none|lower }} {{ none|length if false else 'n' }} {{ none|e }} {{ none|tojson }} {{ none|pprint }}
{{ n|filesizeformat }} {{ big|filesizeformat }} {{ big|filesizeformat(true) }} {{ -big|filesizeformat }} {{ f|filesizeformat }} {{ 1000|filesizeformat }} {{ 1024|filesizeformat(true) }}
{{ n|float }} {{ f|int }} {{ neg|int }} {{ big|float }} {{ '3.5e2'|float }} {{ ' 7 '|int }} {{ '-0x1f'|int(base=16) }} {{ '1e3'|int }} {{ 'nan'|float }}
{{ n|string ~ f|string }} {{ (n, f)|join('-') }} {{ [n, f, neg, big]|sort }} {{ [n, f, neg, big]|max }} {{ [n, f, neg]|sum }}
{{ users|length }} {{ users|count }} {{ users|first|attr('city') }} {{ users|last }} {{ users|reverse|map(attribute='name')|join }}
{{ users|batch(2)|map('length')|list }} {{ users|slice(2)|map('length')|list }} {{ users|batch(2, {'name': '-'})|last|map(attribute='name')|list }}
{{ range(10)|slice(3, 'x')|list }} {{ range(10)|batch(4, 0)|list }} {{ range(1, 10, 3)|list }} {{ range(10, 0, -3)|list }} {{ range(5)|reverse|join }}
{{ 'abc'|map('upper')|join }} {{ ['1', '2']|map('int')|sum }} {{ [1.5, 2.5]|map('round')|list }} {{ ['a', 'b']|map('replace', 'a', 'x')|list }}
{{ [3, 1, 2]|sort(reverse=true) }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ [[2, 1], [1, 2]]|sort }}
{{ 'Hello'|indent(4, true) }} {{ 'a\nb'|indent(first=true, width='> ') }} {{ 'a\n\nb'|indent(2, blank=true) }} {{ ''|indent(first=true) }}
{{ 'x'|center(6, ) }}|{{ 'xy'|center(5) }}|{{ 'x'|center(0) }}|{{ 'toolong'|center(3) }}
{{ '%05.1f|%-5s|%+d|%x|%o|%e|%c'|format(f, 'ab', n, 255, 8, big, 65) }} {{ '%(a)s-%(b)s'|format(a=1, b=2) }} {{ '%s'|format(users[0]) }}
{{ '%s %s'|format(*['a', 'b']) }} {{ '{} {}'.format(n, f) }} {{ '{0:>5}|{1:.2f}'.format(n, f) }} {{ '{:,}'.format(big) }} {{ '{:_}'.format(big) }}
{{ 'Hello %s'|format(html) }} {{ html ~ '%s'|format(1) }} {{ ('%s' ~ '%s')|format(1, 2) }}
{{ d|map('upper')|list }} {{ d.items()|map('first')|list }} {{ d|dictsort|map('last')|list }} {{ d.values()|map('string')|join('+') }}
{{ [none, 0, '', [], 'x', 1]|select|list }} {{ [none, 0, '', [], 'x', 1]|reject|list }} {{ [none, 1]|reject('none')|list }} {{ [1, 'a']|select('number')|list }}
{{ users|map(attribute='name')|map('lower')|select('startingwith', 'b') if false else users|map(attribute='name')|map('lower')|list }}
{{ ['a', 'B']|map('lower')|unique|list }} {{ ['a', 'A', 'b', 'a']|unique|list }} {{ ['a', 'A', 'b', 'a']|unique(case_sensitive=true)|list }} {{ [1, 1.0, true]|unique|list }}
{{ 'aBc'|swapcase if false else 'aBc'|lower }} {{ 'ǅungla'|title }} {{ 'hello-world foo_bar'|title }} {{ "it's o'neil"|title }} {{ 'ﬁsh'|upper }} {{ 'ΣΑΣ'|lower }} {{ 'straße'|upper }}
{{ ' \t x \n'|trim|length }} {{ '\u3000x\u3000'|trim }} {{ 'x\xa0'|trim|length }} {{ 'ab'|trim('ba') }}
{{ 'a b c'|wordcount }} {{ 'a-b c.d'|wordcount }} {{ '日本 語'|wordcount }} {{ "don't stop"|wordcount }} {{ ''|wordcount }}
{{ [1, 2, 3]|random is number }} {{ '%.3f'|format(1/3) }} {{ (1/3)|round(3) }} {{ 2.675|round(2) }} {{ 0.125|round(2) }} {{ 1e20|round }} {{ 1e20|int }}
{{ 3|float|string }} {{ 1e16|string }} {{ 1e-5 }} {{ 123456789012345678.0 }} {{ 0.1 + 0.2 }} {{ 1/3 }} {{ 2**0.5 }} {{ 10/4 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ -7.5 % 2 }}
{{ 'abc'|batch(2)|list }} {{ 'abcde'|slice(2)|list }} {{ 'cba'|sort|join }} {{ 'hello'|unique|join }} {{ 'abc'|max }} {{ 'aBc'|min }} {{ 'aBc'|min(case_sensitive=true) }}
{{ users|map(attribute='age')|unique|list }} {{ users|map(attribute='city')|unique|list }} {{ users|map(attribute='city')|map('lower')|unique|list }}
{{ users|attr('length') }} {{ users|attr('0') }} {{ d|attr('a') }} {{ d|attr('items') is callable }} {{ nested|attr('a')|attr('b') }}
{{ users|rejectattr('city', 'in', ['Rome'])|map(attribute='name')|join }} {{ users|selectattr('age', 'ge', 31)|map(attribute='name')|list }}
{{ users|selectattr('name', 'lower')|list|length }} {{ users|selectattr('tags', 'sameas', none)|list }} {{ users|map(attribute='tags')|map('length')|list }}
{{ users|map(attribute='name')|map('truncate', 2, true, '')|list }} {{ users|map(attribute='name')|map('center', 5)|list }} {{ users|map('attr', 'name')|list }}
{{ users|map(attribute='age')|map('filesizeformat')|list }} {{ users|map(attribute='age')|map('float')|list }} {{ users|map(attribute='age')|map('string')|join(',') }}
{{ users|map(attribute='age')|select('odd')|list }} {{ users|map(attribute='age')|select('divisibleby', 5)|list }} {{ users|map(attribute='age')|reject('lt', 30)|list }}
{{ [users[0].tags, users[2].tags]|sum(start=[]) }} {{ users|map(attribute='tags')|select|map('first')|list }} {{ users|map(attribute='tags')|map('join', '+')|list }}
{{ 5|string|length }} {{ big|string|length }} {{ big|string|reverse }} {{ f|string|list|length }} {{ neg|string|first }}
{{ 'a,b'|split(',') if false else 'ok' }}
{{ {'b': 1, 'a': 2}|dictsort|first }} {{ {'b': 1, 'a': 2}|dictsort(by='value')|first }} {{ {1: 'x', 'a': 'y'}|length }}
{{ 'x'|default(1, true) }} {{ 0|default(1, true) }} {{ []|default('e', true) }} {{ none|d('n', true) }} {{ false|d('f') }} {{ missing|d(none)|string }}
{{ html|e|replace('&amp;', '&') }} {{ html|e|length }} {{ html|e|upper }} {{ html|e|list|length }} {{ (html|e)[0:4] }} {{ html|e ~ html }}
{{ html|striptags|title }} {{ '<p>a</p>\n\n<p>b  c</p>'|striptags }} {{ 'a &lt; b &amp;amp; &#39;c&#39;'|striptags }} {{ '<!-- x -->y<br/>z'|striptags }}
{{ '<a href="x">l</a>'|urlize }} {{ 'mail me@x.org or http://a.b/c.'|urlize }} {{ 'www.x.com, (https://y.org)'|urlize }} {{ 'xhttp://a.b'|urlize }}
{{ 'x@y'|urlize }} {{ 'ftp://a.b/c'|urlize }} {{ 'mailto:a@b.c'|urlize }} {{ 'see <http://a.b/>'|urlize }} {{ 'http://a.b/"q"'|urlize }} {{ 'a.org'|urlize }}
'''

cases = []
for line in T.strip('\n').split('\n'):
    for ae in (False, True):
        cases.append(mk(line, autoescape=ae))
check(cases, 'c13_d1 filters')
