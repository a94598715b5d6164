#!/usr/bin/env python3
"""c13 d13: Python reprs of strings over the whole Basic Multilingual Plane and beyond (which
characters repr escapes, and how), through a list repr, pprint, `{!r}`, `%r` and tojson; and
case mapping/title/isX methods over the same ranges. Each probe holds one block of code points."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

blocks = []
step = 512
for start in list(range(0, 0x3000, step)) + list(range(0xa000, 0x10000, step)) + [0x10000, 0x1d400, 0x1f000, 0x1f600, 0xe0000, 0xf0000]:
    chars = ''.join(chr(c) for c in range(start, start + step) if not 0xd800 <= c < 0xe000)
    blocks.append(chars)
cases = []
for chars in blocks:
    ctx = {'s': chars}
    cases.append(mk('{{ [s] }}|{{ "%r"|format(s) }}', ctx=ctx))
    cases.append(mk('{{ s|upper }}|{{ s|lower }}', ctx=ctx))
    cases.append(mk('{{ s.title() }}|{{ s.swapcase() }}|{{ s.casefold() }}', ctx=ctx))
    cases.append(mk('{% for c in s %}{{ c.isalpha()|int }}{{ c.isdigit()|int }}{{ c.isspace()|int }}{{ c.isupper()|int }}{{ c.islower()|int }}{{ c.isprintable()|int }}{{ c.isalnum()|int }}{{ c.isdecimal()|int }}{{ c.isnumeric()|int }}{{ c.istitle()|int }}{{ c.isidentifier()|int }}{% endfor %}', ctx=ctx))
    cases.append(mk('{{ s|wordcount }}|{{ s.split()|length }}|{{ s|title|length }}|{{ s|capitalize|length }}|{{ s.splitlines()|length }}|{{ s|tojson|length }}', ctx=ctx))
check(cases, 'c13_d13 unicode')
