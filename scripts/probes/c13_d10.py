#!/usr/bin/env python3
"""c13 d10: constant folding (Jinja2's optimizer evaluates filters, tests, `~`, conditionals
and operators over constants at compile time) against the same with variables, inside
`{% autoescape %}` blocks of either polarity, macros, call blocks, set blocks and filter blocks."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

EXPRS = [
    "'<a>'|replace('a', '<')", "'<'|safe|replace('<', '>')", "'<a>'|e|replace('a', '&')", "'<a&>'|urlize",
    "{'a': '<'}|xmlattr", "'<b>'|escape|replace('b', 'i')", "('<'|safe) ~ '<'", "'<' ~ ('<'|safe)",
    "('<'|safe) ~ 1 ~ none", "'<a>'|safe|upper", "'<a>'|upper", "'%s'|format('<')", "('%s'|safe)|format('<')",
    "'<a>'|center(7)", "'<a>'|safe|center(7)", "'<a> <b>'|wordwrap(3)", "'<a>'|indent(2, true)", "'<x>\n<y>'|safe|indent(2)",
    "['<a>', '<b>'|safe]|join('&')", "['<a>', '<b>']|join('&'|safe)", "['<a>']|join", "('<a>'|safe, '&')|join",
    "'<a>'|striptags", "'<a>x</a>'|safe|striptags", "'a & b'|forceescape", "'<a>'|safe|forceescape", "'<a>'|string", "'<a>'|safe|string",
    "'<a>'|truncate(3, true, '<')", "'<a>'|safe|truncate(3, true, '<')", "'<a>'|title", "'<a>'|safe|title", "'<a>'|list|first",
    "'<a>' if true else 'b'", "('<a>'|safe) if true", "'<' * 2", "('<'|safe) * 2", "'<' + '>'", "('<'|safe) + '>'", "('<'|safe) % ()" ,
    "'<a>'|tojson", "'<a>'|safe|tojson", "'<a>'|pprint", "'<a>'|safe|pprint", "['<a>'|safe]|pprint", "['<a>'|safe]", "('<a>'|safe,)",
    "{'k': '<a>'|safe}", "'<a>'|safe is escaped", "'<a>' is escaped", "'<a>'|e is escaped", "('<a>'|safe ~ '') is escaped",
    "'<a>'|default('x')", "''|default('<x>', true)", "none|default('<x>'|safe)", "'<A>'|lower|safe|upper", "'a<b'|reverse",
    "'<a>'|safe|reverse", "'<a>'|safe|length", "'&amp;'|safe|length", "'<a>'|urlencode", "'<a>'|safe|urlencode", "'<a>'|attr('upper')",
]
cases = []
for e in EXPRS:
    v = e.replace("'<a>'", 'x').replace("'<'", 'lt') if "'<a>'" in e or "'<'" in e else None
    ctx = {'x': '<a>', 'lt': '<'}
    for t in ['{{ %s }}' % e,
              '{% autoescape false %}{{ E }}{% endautoescape %}|{% autoescape true %}{{ E }}{% endautoescape %}'.replace('E', e),
              '{% macro m() %}{{ E }}{% endmacro %}{{ m() }}|{% call m() %}{% endcall %}{% set s %}{{ E }}{% endset %}{{ s }}|{% filter upper %}{{ E }}{% endfilter %}'.replace('E', e)]:
        for ae in (False, True):
            cases.append(mk(t, ctx=ctx, autoescape=ae))
            if v:
                cases.append(mk(t.replace(e, v), ctx=ctx, autoescape=ae))
check(cases, 'c13_d10 folding')
