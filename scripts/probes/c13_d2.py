#!/usr/bin/env python3
"""c13 d2: expressions, tests, methods and syntax, hand-written in the ceo/own style over the
shared context, each under autoescape off and on."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

T = r'''
{{ n + f }} {{ n - neg }} {{ n * neg }} {{ n / 0.5 }} {{ n // 2.0 }} {{ n % 2.5 }} {{ n ** 2 }} {{ 2 ** n }} {{ neg ** 2 }} {{ n ** -1 }} {{ big * big }}
{{ big ** 2 }} {{ big // 7 }} {{ big / 7 }} {{ big % 1000 }} {{ -big // 7 }} {{ big * 1.0 }} {{ big + 0.5 }} {{ 10 ** 16 + 1.0 }} {{ 2 ** 63 }} {{ -2 ** 63 }}
{{ n > f > 3 }} {{ 1 < n <= 7 < big }} {{ neg < 0 == false }} {{ n == 7.0 }} {{ n != '7' }} {{ f >= 3.14159 }} {{ 'a' < 'B' }} {{ 'Z' < 'a' }}
{{ not n }} {{ not not n }} {{ not none }} {{ not empty }} {{ not d }} {{ -neg }} {{ +neg }} {{ - -n }} {{ not n == 7 }} {{ not n in [7] }} {{ (not n) in [false] }}
{{ n and f }} {{ empty and n }} {{ empty or none }} {{ none or empty or 0 }} {{ n or missing }} {{ missing or 'x' }} {{ missing and 'x' }} {{ '' or 0 or none }}
{{ n if n > 5 }} [{{ n if n < 5 }}] {{ n if n < 5 else 'small' if n < 10 else 'big' }} {{ (n if false else f)|round }} {{ 'y' if empty else 'n' }} {{ 'y' if d else 'n' }}
{{ users[0] }} {{ users[-1].name }} {{ users[1:] |length }} {{ users[::-1][0].name }} {{ users[0]['tags'][-1] }} {{ users.0.name }} {{ users[0].tags.1 }}
{{ d['a'] + d.b }} {{ d.C }} {{ d['c'] }} {{ nested['a'].b['c'] + 1 }} {{ nested.a.b }} {{ nested.a.x }} [{{ nested.x.y|default('dd') }}]
{{ s[2:7] }} {{ s[-3:] }} {{ s[::2] }} {{ s[100:] }} {{ s[:-100] }} {{ words[:3] }} {{ words[4:9]|upper }} {{ s[1] }} {{ html[0] }} {{ html[-1:] }}
{{ [1, 2, 3][1:2] }} {{ (1, 2, 3)[::-1] }} {{ range(10)[2:5] }} {{ range(10)[-1] }} {{ range(10)[::3]|list }} {{ 'abc'[1:][0] }} {{ [1, [2, 3]][1][0] }}
{{ 'a' ~ n ~ f ~ none ~ true ~ empty ~ d }} {{ n ~ '' }} {{ (n ~ n)|int + 1 }} {{ html ~ html }} {{ neg ~ big }} {{ users[0].tags ~ '' }}
{{ n in [7, 8] }} {{ 'Ann' in users|map(attribute='name') }} {{ 'a' in d }} {{ 1 in d.values() }} {{ 'ell' in s }} {{ 42 in nested.a.b.values() }} {{ none in [none] }}
{{ [n, f] }} {{ (n,) }} {{ () }} {{ {} }} {{ {'a': [1, (2, 3)], 'b': {'c': none}} }} {{ [true, false, none] }} {{ ['a', "b'c", 'd"e'] }} {{ ["it's"] }} {{ ['\n'] }}
{{ [1.0, 2.50, -0.0, 1e10, 1e-10, 1e16, 12345678.9] }} {{ (1e100, 1.5e300 * 1e10) }} {{ [big, -big] }} {{ 1_000 }} {{ 0x1F if false else 0o17 if false else 0b11 if false else 7 }}
{{ 1e3 }} {{ 1E3 }} {{ 1.5e-3 }} {{ .5 if false else 0.5 }} {{ 1_0.0_1 }} {{ 3e0 }} {{ 123. if false else 1 }}
{{ 'a' 'b' }} {{ 'a' "b" 'c' }} {{ "tab\there" }} {{ 'uni\u00e9' }} {{ 'nl\\n' }} {{ 'q\'q' }} {{ "dq\"dq" }} {{ '\x41' }} {{ 'a\
b' }}
{{ true }} {{ True }} {{ false }} {{ False }} {{ none }} {{ None }} {{ TRUE is defined }} {{ NONE }}
{{ n is odd }} {{ n is even }} {{ f is number }} {{ f is float }} {{ n is integer }} {{ true is integer }} {{ true is boolean }} {{ 1 is boolean }} {{ big is integer }}
{{ d is mapping }} {{ users is sequence }} {{ s is sequence }} {{ d is sequence }} {{ none is sequence }} {{ users[0] is mapping }} {{ range(3) is sequence }} {{ n is iterable }}
{{ s is string }} {{ html is lower }} {{ 'ABC' is upper }} {{ 'A1' is upper }} {{ '' is lower }} {{ 'ǅ' is upper }} {{ s is upper }} {{ '123' is lower }}
{{ n is divisibleby 7 }} {{ n is divisibleby(0.5) }} {{ big is divisibleby 2 }} {{ neg is divisibleby 1.5 }} {{ 0 is divisibleby 3 }}
{{ users is defined }} {{ missing is undefined }} {{ none is defined }} {{ d.zz is defined }} {{ nested.a.b.c is defined }} {{ users[5] is defined }} {{ s.upper is callable }}
{{ users[0].name is sameas 'Ann' }} {{ none is sameas none }} {{ true is sameas true }} {{ 1 is sameas true }} {{ n is sameas 7 }} {{ empty is sameas empty }}
{{ 'x' is in s }} {{ 'H' is in s }} {{ n is in range(10) }} {{ 'a' is in d }} {{ 2 is in d.values() }} {{ users[0] is in users }}
{{ n is gt 3 }} {{ n is ge 7 }} {{ n is lt(7) }} {{ n is le 7.0 }} {{ n is ne none }} {{ n is eq '7' }} {{ 'a' is lt 'b' }} {{ [1] is lt [1, 0] }}
{{ 'upper' is filter }} {{ 'nope' is filter }} {{ 'odd' is test }} {{ 'nope' is test }} {{ 'sameas' is test }} {{ 'd' is filter }} {{ 'e' is filter }} {{ 'count' is filter }}
{{ html is escaped }} {{ html|e is escaped }} {{ html|safe is escaped }} {{ (html|e ~ '') is escaped }} {{ html|string is escaped }} {{ html|e|string is escaped }}
{{ none is none }} {{ missing is none }} {{ (none|default(1)) is none }} {{ (missing|default(none)) is none }} {{ [] is none }}
{{ users|selectattr('age', 'odd')|map(attribute='name')|list }} {{ [1, 2, none]|reject('none')|list }} {{ [1, 'a', [], {}]|select('iterable')|list }}
{{ s.upper() }} {{ s.strip().lower() }} {{ s.title() }} {{ s.count('l') }} {{ s.find('World') }} {{ s.rfind('o') }} {{ s.index('H') }} {{ s.startswith('  H') }} {{ s.endswith(('x', '  ')) }}
{{ s.replace('l', 'L') }} {{ s.replace('l', 'L', 1) }} {{ s.center(20, '*') }} {{ s.ljust(18, '.') }} {{ s.rjust(18, '.') }} {{ s.zfill(18) }} {{ '42'.zfill(5) }} {{ '-42'.zfill(5) }}
{{ s.split() }} {{ s.split(' ') }} {{ s.strip().split('o') }} {{ s.rsplit(None, 1) }} {{ s.strip().partition(' ') }} {{ s.rpartition('o') }} {{ s.splitlines() }}
{{ 'Ann'.isalpha() }} {{ '12'.isdigit() }} {{ '1.2'.isdecimal() }} {{ ' '.isspace() }} {{ 'Ab Cd'.istitle() }} {{ 'ab'.isalnum() }} {{ 'ab_1'.isidentifier() }} {{ ''.isupper() }}
{{ 'a{}b'.format(1) }} {{ '{x}-{y}'.format(x=1, y=2) }} {{ '{0}{0}'.format('ab') }} {{ '{:>8.3f}|{:<6d}|{:^7}'.format(f, n, 'mid') }} {{ '{!r}'.format('q') }} {{ '{:08.2f}'.format(neg) }}
{{ '{:x} {:X} {:o} {:b} {:e} {:%} {:g}'.format(255, 255, 8, 5, big, 0.25, 1e-7) }} {{ '{:+,.2f}'.format(big) }} {{ '{0[name]}'.format(users[0]) }} {{ '{0.name}'.format(users[0]) if false else 1 }}
{{ d.get('a') }} {{ d.get('z', 0) + 1 }} {{ d.items()|list|first }} {{ d.keys()|first }} {{ d.values()|list|max }} {{ d.setdefault('a', 9) }} {{ d.pop('zz', 'none') }} {{ d.copy()|length }}
{{ users[0].get('name') }} {{ users[0].keys()|join(',') }} {{ users[0].items()|list|last }} {{ nested.a.get('b').get('c') }} {{ d.get('a', 5) is number }}
{{ users[0].tags.index('b') }} {{ users[0].tags.count('a') }} {{ users[0].tags.copy() }} {{ [3, 1, 2].__len__ is defined }} {{ users[0].tags|list == users[0].tags }}
{{ 'x'.join(s.split()) }} {{ '-'.join('abc') }} {{ ''.join(users|map(attribute='name')) }} {{ ', '.join(d) }} {{ ' '.join(['a', 'b']).upper() }} {{ 'a b'.title().swapcase() }}
{{ 'ß'.casefold() }} {{ 'İ'.lower() }} {{ 'ǆ'.title() }} {{ 'ﬀ'.upper() }} {{ 'ŉ'.upper() }} {{ 'ΐ'.upper() }} {{ 'Σ'.lower() }} {{ 'ΑΣ'.lower() }} {{ 'aΣ b'.title() }}
{{ 'Hello'.encode is defined }} {{ 'abc'.removeprefix('a') }} {{ 'abc'.removesuffix('c') }} {{ 'a\tb'.expandtabs(4) }} {{ 'a\tb'.expandtabs() }} {{ 'abc'.translate is defined }}
{{ '%s-%s' % (1, 2) }} {{ '%d%%' % 50 }} {{ '%r' % 'x' }} {{ '%5.2f' % f }} {{ '%s' % none }} {{ '%s' % [1] }} {{ '%(n)s' % {'n': 1} }} {{ '%i' % 3.9 }} {{ '%x' % 255 }}
{{ n.real if false else 1 }} {{ (7).bit_length() if false else 3 }} {{ f.is_integer() }} {{ 3.0.is_integer() if false else 1 }} {{ f.real }} {{ n.imag }} {{ n.numerator }}
{{ range(3)|list }} {{ range(0) }} {{ range(3) }} {{ range(1, 4) }} {{ range(0, 10, 2) }} {{ range(3) == range(3) }} {{ range(3)|length }} {{ range(-3)|list }} {{ 2 in range(3) }}
{{ lipsum is defined }} {{ dict(a=1, b=2) }} {{ dict(a=1)|length }} {{ dict() }} {{ cycler('a', 'b').next() }} {{ joiner('|')() }}[{{ joiner('|')() }}] {{ namespace(a=1).a }}
{% set c = cycler(1, 2, 3) %}{{ c.next() }}{{ c.next() }}{{ c.current }}{{ c.next() }}{{ c.next() }}{% set _ = c.reset() %}{{ c.current }}
{% set j = joiner(', ') %}{% for u in users %}{{ j() }}{{ u.name }}{% endfor %}|{% set j2 = joiner() %}{{ j2() }}{{ j2() }}{{ j2() }}
{% set ns = namespace(total=0, names=[]) %}{% for u in users %}{% set ns.total = ns.total + u.age %}{% set _ = ns.names.append(u.name) %}{% endfor %}{{ ns.total }} {{ ns.names }}
{% set ns = namespace(a=1) %}{{ ns }}|{{ ns.a }}|{{ ns.b }}|{{ ns.b is defined }}|{{ ns|attr('a') }}
{{ (1, 2) == [1, 2] }} {{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1.0} }} {{ 1 == 1.0 == true }} {{ 'a' == 'a' != 'b' }} {{ none == false }} {{ [] == () }}
{{ [1] * 0 }} {{ 'ab' * -1 }} {{ 3 * 'x' }} {{ [0] * n }} {{ (1, 2) * 2 }} {{ '=' * 10 }} {{ 'ab' * true }}
{{ 10 / 3 }} {{ 10 // 3 }} {{ -10 // 3 }} {{ 10 % -3 }} {{ 2 ** 10 }} {{ 2 ** -2 }} {{ 2.0 ** 3 }} {{ (-8) ** (1/3) if false else 1 }} {{ 0 ** 0 }} {{ 0.0 ** 0 }} {{ 9 ** 0.5 }}
{{ 1.0 }} {{ 1.10 }} {{ 100.0 }} {{ 1e15 }} {{ 1e16 }} {{ 123456789.123456789 }} {{ 0.000001 }} {{ 0.0000001 }} {{ -1e-7 }} {{ 1.5e+300 * 1e300 }} {{ -(1.5e300 * 1e300) }}
{{ 3 / 1 }} {{ 4 / 2 * 2 }} {{ 7 // 1.5 }} {{ 7 % 1.5 }} {{ -7 // 1.5 }} {{ 1 // -1 }} {{ 5.0 // 2 }} {{ -0.0 * 1 }} {{ 0 * -1.0 }} {{ 1 - 1.0 }}
'''
cases = []
for line in T.strip('\n').split('\n'):
    for ae in (False, True):
        cases.append(mk(line, autoescape=ae))
check(cases, 'c13_d2 expressions/tests/methods')
