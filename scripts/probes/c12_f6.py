import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))

import fuzz_filters as F; mk = F.mk
from conform_probe import check
V = ['html', 'html|safe', "[html, html|safe]", "{'k': html, html: 1}", "(html|safe, html)", 'namespace(a=html)', 'cycler(html)', 'joiner(html)', 'undefinedv', 'undefinedv.x',
     'none', 'true', '1.5', "'&amp;'|safe", "'<'|safe ~ '<'", "html|safe + html", "html + html|safe", "('%s'|safe) % html", "('%s'|safe) % (html,)", "('%(a)s'|safe) % {'a': html}",
     "('{}'|safe).format(html)", "('{0}{x}'|safe).format(html, x='<')", "'{}'.format(html|safe)", "[1]|join(html|safe)", "[html, 'x']|join('<br>'|safe)", "[html, 'x']|join('<br>')",
     "html|safe|list", "html|list", "html|safe|first", "html|safe|reverse", "html|safe|upper", "html|safe|replace('x', '<i>')", "html|safe|title", "html|safe|center(20)",
     "html|safe|truncate(5, true)", "html|safe|wordwrap(3)", "html|safe|indent(2, true)", "html|safe|striptags", "html|safe|urlize", "html|urlize", "html|safe|format()",
     "'%s<'|format(html)", "('%s<'|safe)|format(html)", "html|safe|string", "html|string", "html|e|e", "html|forceescape|forceescape", "html|safe|forceescape",
     "{'a': html}|xmlattr", "{'a': html|safe}|xmlattr", "{'a<': 1}|xmlattr", "html|urlencode", "{'a': html}|urlencode", "[('a', html)]|urlencode", "html|safe|tojson", "html|pprint", "html|safe|pprint",
     "html|safe|d", "undefinedv|d(html|safe)", "html|safe|trim", "html|safe|capitalize", "html|safe|lower", "html|safe|wordcount", "html|safe|length", "html|safe|int", "html|safe|sum",
     "html|safe|batch(2)|list", "html|safe|slice(2)|list", "html|safe|unique|list", "html|safe|sort", "html|safe|max", "html|safe|map('upper')|list", "html|safe|select|list", "html|safe|groupby('0')",
     "html|safe|random", "html|safe|attr('upper')()", "(html|safe).split('x')", "(html|safe).partition('x')", "(html|safe).join([html, 1])", "(html|safe).strip('<>')", "(html|safe).zfill(30)",
     "(html|safe).splitlines()", "(html|safe).unescape()", "(html|safe).striptags()", "(html|safe).escape(html)", "(html|safe)[0]", "(html|safe)[1:4]", "(html|safe) * 2", "(html|safe) in html",
     "html in html|safe", "(html|safe) == html", "(html|safe).count('x')", "(html|safe).startswith('<')", "(html|safe).format_map({})", "'<'|safe|center(3, '&')", "(html|safe).rsplit(none, 1)",
     "(html|safe).expandtabs()", "(html|safe).swapcase()", "(html|safe).casefold()", "(html|safe).removeprefix('<b>')", "(html|safe).__html__()", "html|safe is escaped", "html is escaped",
     "lipsum(1, false, 1, 2)|length", "range(3)", "dict(a=html)", "(html|safe).rpartition('x')", "(html|safe).ljust(20, '<')", "(html|safe).translate({60: '['})"]
T = []
for v in V:
    for ae in (False, True):
        T.append(mk('{{ %s }}' % v, ctx=F.CTX, autoescape=ae))
    T.append(mk('{%% set x = %s %%}{{ x }}|{{ x ~ html }}|{{ [x] }}' % v, ctx=F.CTX, autoescape=True))
check(T, 'escaping')
