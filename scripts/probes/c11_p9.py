import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ '\x41\101\u00e9\U0001F600\N{BULLET}' }}
{{ 'a\
b' }}
{{ '\q' }}|{{ "\'" }}|{{ '\"' }}|{{ '\a\b\f\v\0' }}
{{ ['\x7f', '\x80', '\xa0', '\u200b', '\ud7ff', '\ufeff', '\U0001F600', '\u0378', '\U000e0001', '\u00ad'] }}
{{ 'straße'|upper }}|{{ 'ǅ'|lower }}|{{ 'ß'|title }}|{{ 'ﬁx'|upper }}|{{ 'İ'|lower|length }}
{{ 'élan vital'|title }}|{{ 'éLAN'|capitalize }}|{{ 'ǆemal'|capitalize }}|{{ 'o\'neil mc-d'|title }}
{{ '😀ab'|length }}|{{ '😀ab'|reverse }}|{{ '😀ab'[0] }}|{{ 'é'|center(5, '*') }}|{{ 'é'.center(4) }}
{{ ['é', 'e', 'f', 'E', 'É']|sort }}|{{ ['é', 'e', 'f', 'E', 'É']|sort(case_sensitive=true) }}|{{ ['é', 'É']|unique|list }}
{{ 'ÉCOLE'|lower }}|{{ 'ΣΑΣ'|lower }}|{{ 'Σ'|lower }}|{{ 'aΣ b'|lower }}
{{ 'x y'|wordwrap(1) }}|{{ 'héllo wörld'|wordwrap(5) }}
{{ 'héllo wörld'|truncate(8) }}|{{ 'ab　cd'|wordcount }}|{{ 'a\u00a0b'.split() }}|{{ 'a\u2003b'|wordcount }}
{{ ' \u3000x\u3000 '|trim }}|{{ '\u00a0x'|trim|length }}|{{ 'x\x1c'.strip()|length }}
{{ 'Ǆ'.istitle() }}|{{ '١٢'.isdigit() }}|{{ '½'.isnumeric() }}|{{ '²'.isdecimal() }}|{{ 'ⅷ'.isnumeric() }}
{{ 'ß'.casefold() }}|{{ 'ﬃ'.casefold() }}|{{ 'İ'.casefold()|length }}
{{ 'a-é'|urlencode }}|{{ {'é': 'ü'}|urlencode }}|{{ 'ü'|tojson }}|{{ '\u2028'|tojson }}|{{ "'&<>"|tojson }}
{{ 'x'|format }}|{{ '%s'|format('é') }}|{{ '%5s|'|format('é') }}|{{ '%-5s|'|format('😀') }}|{{ '%.1s'|format('éa') }}
{{ 'résumé'|striptags }}|{{ '<p>é&nbsp;x&lt;</p>'|striptags }}|{{ '&#39;&quot;&amp;amp;'|striptags }}|{{ '&unknown; &#x41;'|striptags }}
{{ 'é'|escape }}|{{ '"\''|e }}|{{ '<é>'|forceescape }}
{{ 'ａｂ'|upper }}|{{ 'ﬀ'|title }}|{{ 'ŉ'|upper }}|{{ 'ǰ'|title }}
{{ '\t\n\r\x0b\x0c'|trim|length }}|{{ 'a\x85b'.splitlines() }}|{{ 'a\u2029b'.split() }}
{{ "it's"|title }}|{{ 'a1b2'|title }}|{{ 'hello_world'|title }}|{{ 'x.y'|title }}|{{ 'x(y)'|title }}|{{ 'éé-éé'|title }}
'''
cases=[mk(l) for l in T.strip().split('\n')]
check(cases, 'unicode')
