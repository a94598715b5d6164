#!/usr/bin/env python3
"""c13 d6: edge inputs to filters (pprint wrapping, tojson escapes, wordwrap/indent/center on
Markup and unicode, format with Markup/dicts, sort/unique on mixed values), hand-written,
each under autoescape off and on."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

T = r'''
{{ range(40)|list|pprint }}
{{ users|pprint }}
{{ {'a': range(30)|list, 'b': words, 'c': {'d': [1, 2, {'e': 'f' * 30}]}}|pprint }}
{{ [words, words]|pprint }}
{{ (words ~ words ~ words)|pprint }}
{{ [1.5, none, true, 'x', ('t', 1), {'k': [none]}]|pprint }}
{{ {'z': 1, 'a': 2, 10: 3, 2: 4}|pprint }}
{{ {'b': 1, 'a': {'d': 1, 'c': 2}}|pprint }}
{{ [[1, 2] * 15, 'x' * 70]|pprint }}
{{ {'key' ~ i: i for i in range(3)} if false else 'x' }}
{{ ["a'b", 'c"d', "e'f\"g", '\\', '\t', '\x00', '\u2028', 'é', '\U0001F600']|pprint }}
{{ ["a'b", 'c"d', "e'f\"g", '\\', '\t', '\x00', '\u2028', 'é', '\U0001F600'] }}
{{ ["a'b", 'c"d', '<&>', '\u2028', 'é', '\U0001F600', "'", none, 1.0, 1e100]|tojson }}
{{ {'b': [1, {'z': 1, 'a': '<'}], 'a': none}|tojson }} {{ {'b': 1, 'a': 2}|tojson(indent=0) }} {{ 'x'|tojson(4) }} {{ [[]]|tojson(2) }} {{ {}|tojson(2) }}
{{ 1e16|tojson }} {{ (0.1 + 0.2)|tojson }} {{ big|tojson }} {{ -0.0|tojson }} {{ 2**70|tojson }} {{ (html|safe)|tojson }} {{ (1, 2)|tojson }}
{{ html|safe|center(20) }}|{{ html|center(20) }}|{{ html|e|center(20) }}|{{ 'é'|center(4, ) }}|{{ '☃'|center(6) }}
{{ (html|e)|indent(2, true) }}|{{ ('<a>\n<b>'|safe)|indent(first=true) }}|{{ '<a>\n<b>'|indent(first=true) }}
{{ html|safe|truncate(6) }}|{{ html|e|truncate(6) }}|{{ (html|safe)|wordwrap(3) }}|{{ html|wordwrap(3) }}|{{ html|safe|title }}|{{ html|safe|capitalize }}
{{ html|safe|replace('x', '<i>') }}|{{ html|safe|replace('x', '<i>'|safe) }}|{{ html|replace('x'|safe, '<i>') }}|{{ 'a<b'|replace('<', '&') }}
{{ html|safe|striptags }}|{{ html|safe|upper }}|{{ html|safe|lower|e }}|{{ html|safe|trim }}|{{ html|safe|reverse }}|{{ html|safe|first }}|{{ html|safe|list|last }}
{{ '%s|%s'|format(html, html|safe) }}|{{ ('%s|%s'|safe)|format(html, html|safe) }}|{{ ('%(a)s'|safe)|format(a=html) }}|{{ '%s'|format(none) }}|{{ '%s'|format([html]) }}
{{ '{}'.format(html) }}|{{ ('{}'|safe).format(html) }}|{{ ('{0}{x}'|safe).format(html, x='<') }}|{{ ('<{}>'|safe).format(html|safe) }}
{{ ('a' ~ html|safe) }}|{{ html|safe ~ html }}|{{ (html|safe) + html }}|{{ (html|safe) * 2 }}|{{ (html|safe) % () if false else 1 }}|{{ ('%s'|safe) % html }}
{{ (html|safe).upper() }}|{{ (html|safe).split('x') }}|{{ (html|safe).join(['<', '>']) }}|{{ (html|safe).replace('b', '<i>') }}|{{ (html|safe).strip('<>') }}
{{ (html|safe).striptags() }}|{{ (html|safe).unescape() }}|{{ ('&lt;&amp;&#39;&#x27;&quot;'|safe).unescape() }}|{{ ('<a> &amp; <b>c</b>'|safe).striptags() }}
{{ (html|safe).startswith('<') }}|{{ (html|safe).count('x') }}|{{ (html|safe)[1:3] }}|{{ (html|safe)[0] }}|{{ (html|safe).center(16, '*') }}|{{ (html|safe).partition('&') }}
{{ [3, 'a']|sort if false else [3, 1.5, true, -1]|sort }} {{ [true, 2, 1.0, 0]|unique|list }} {{ ['B', 'a', 'C']|max }} {{ ['B', 'a', 'C']|min(case_sensitive=true) }}
{{ [{'a': 2}, {'a': 1}]|sort(attribute='a') }} {{ [{'a': 'B'}, {'a': 'a'}]|sort(attribute='a')|map(attribute='a')|join }} {{ [[2, 'b'], [1, 'a']]|sort(attribute='1') }}
{{ [{'a': {'b': 2}}, {'a': {'b': 1}}]|sort(attribute='a.b')|map(attribute='a.b')|list }} {{ [{'a': [3, 1]}, {'a': [2]}]|map(attribute='a.0')|list }} {{ users|map(attribute='tags.5')|list }}
{{ [1, 2, 3, 4, 5]|batch(2)|map('sum')|list }} {{ [1, 2, 3, 4, 5]|slice(2)|map('list')|list }} {{ [1, 2, 3, 4, 5]|slice(4, 0)|list }} {{ [1]|slice(3)|list }} {{ range(7)|slice(3, '-')|map('join')|list }}
{{ 'hello world'|wordwrap(5) }}|{{ 'hello world'|wordwrap(5, false) }}|{{ 'a\nb c d e f g'|wordwrap(3) }}|{{ 'aaaaaaaaaa bb'|wordwrap(4) }}|{{ 'aaaa-bbbb-cccc'|wordwrap(5) }}|{{ 'aaaa-bbbb-cccc'|wordwrap(5, break_on_hyphens=false) }}
{{ 'x  y   z'|wordwrap(3) }}|{{ '  lead'|wordwrap(3) }}|{{ 'tab\there x'|wordwrap(4) }}|{{ 'a\n\nb'|wordwrap(1) }}|{{ 'naïve café résumé'|wordwrap(6) }}|{{ ''|wordwrap(3) }}|{{ 'a b'|wordwrap(1, wrapstring='|') }}
{{ 'a\r\nb\rc'|indent(2) }}|{{ 'a\r\nb'|wordwrap(10) }}|{{ 'a\r\nb'|wordcount }}|{{ 'a\u2028b'|indent(2) }}|{{ 'x\n'|indent(2, true) }}|{{ '\n'|indent(2, true, true) }}
{{ 'a b c d e'|truncate(5) }}|{{ 'a b c d e'|truncate(5, leeway=5) }}|{{ 'abcdefghij'|truncate(3) }}|{{ 'abcdefghij'|truncate(3, true) }}|{{ 'ab'|truncate(0) }}|{{ 'ab cd'|truncate(4, false, 'XX') }}|{{ 'hello'|truncate(7, true, '...', 0) }}
{{ 'Hello World'|truncate(8) }}|{{ 'Hello World'|truncate(8, end='') }}|{{ 'Hello  World x'|truncate(10) }}|{{ 'Ünïcödé wörds hëre'|truncate(10) }}|{{ words|truncate }}|{{ 123|truncate(1) if false else 1 }}
{{ 1023|filesizeformat }} {{ 1024|filesizeformat }} {{ 1536|filesizeformat(true) }} {{ 1e30|filesizeformat }} {{ 0|filesizeformat }} {{ 1|filesizeformat }} {{ -1|filesizeformat }} {{ 999999|filesizeformat }} {{ 1.5|filesizeformat }} {{ '2048'|filesizeformat(true) }}
{{ 'abc'|urlencode }} {{ 'a/b?c=d'|urlencode }} {{ {'a b': 'c&d', 'e': none, 'f': 1.5}|urlencode }} {{ 'ü ☃'|urlencode }} {{ 42|urlencode }} {{ ['a', 'b']|urlencode if false else 1 }} {{ '~._-'|urlencode }}
{{ {'class': 'a b', 'id': 5, 'x': false, 'y': none, 'z': html}|xmlattr }}|{{ {}|xmlattr }}|{{ {'a': 1}|xmlattr(autospace=false) }}|{{ {'a': '"'}|xmlattr }}|{{ {'b': html|safe}|xmlattr }}
{{ 'Ab cD-eF_gh'|title }}|{{ '1st 2nd'|title }}|{{ 'o\'neil mc-donald'|title }}|{{ 'ŉ'|title }}|{{ '[a] (b) {c}'|title }}|{{ 'a.b,c'|title }}|{{ 'αβγ δ'|title }}|{{ 'x1y z'|title }}
{{ 'hello'|capitalize }}|{{ 'HELLO wORLD'|capitalize }}|{{ 'ǆx'|capitalize }}|{{ ''|capitalize }}|{{ ' a'|capitalize }}|{{ 'ßa'|capitalize }}|{{ 'ﬁx'|capitalize }}
{{ 'a'|int }} {{ '3.7'|int }} {{ '3.7'|float|int }} {{ '-3'|int }} {{ '+3'|int }} {{ '0x10'|int }} {{ '0x10'|int(0, 0) }} {{ '0o17'|int(base=0) }} {{ '010'|int(base=0) }} {{ '1_0'|int }} {{ ' 1 '|float }} {{ 'inf'|float }} {{ '-inf'|float|int(5) if false else 1 }} {{ none|int }} {{ true|int }} {{ [1]|int }}
{{ 3.7|round|int }} {{ -3.5|round }} {{ 2.5|round(0, 'ceil') }} {{ 12345|round(-2) }} {{ 12355.5|round(-1) }} {{ 0.5|round(0, 'floor') }} {{ 1.23456789|round(5) }} {{ 1|round(2) }} {{ true|round }}
{{ n|abs }} {{ true|abs }} {{ -big * big|abs }} {{ (-big * big)|abs }} {{ -f|abs }} {{ '-3'|float|abs }}
{{ [1, 2]|sum(start=0.5) }} {{ [0.1] * 10|sum if false else ([0.1] * 10)|sum }} {{ [[1], [2]]|sum(start=[]) }} {{ users|sum(attribute='tags', start=[]) }} {{ [true, true]|sum }} {{ [big, big]|sum }}
{{ [1, 2, 3]|max(attribute='x') if false else [{'x': 1}, {'x': 3}]|max(attribute='x') }} {{ [[1, 2], [1, 3]]|max }} {{ ['a', 'B']|max(case_sensitive=true) }} {{ ['é', 'e', 'E']|min }} {{ [1.5, 1]|min }}
{{ d|dictsort(true, 'value', true) }} {{ {'b': 'A', 'a': 'b'}|dictsort(by='value') }} {{ {'b': 'A', 'a': 'b'}|dictsort(true, by='value') }} {{ {2: 'x', 1: 'y'}|dictsort }} {{ {'B': 1, 'a': 2}|dictsort(reverse=true) }}
{{ users|groupby('age')|list|length }} {{ users|groupby('age')|first|list|first }} {{ users|groupby('city', case_sensitive=false)|map(attribute='grouper')|list }} {{ [{'a': none}, {'a': 1}]|groupby('a', default=0)|map(attribute='grouper')|list }}
{{ (users|groupby('age'))[0] }}
{{ users|groupby('age')|map('first')|list }} {{ users|groupby('age')|map('last')|map('length')|list }} {{ users|groupby('age')|map(attribute='list.0.name')|list }}
{{ users|map('tojson')|first }} {{ users|map('dictsort')|first|first }} {{ users|map('length')|list }} {{ users|map('list')|first }} {{ users|map('items')|map('list')|map('length')|list }}
'''
cases = []
for line in T.strip('\n').split('\n'):
    for ae in (False, True):
        cases.append(mk(line, autoescape=ae))
check(cases, 'c13_d6 filter edges')
