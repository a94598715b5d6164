import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))

import fuzz_filters as F; mk = F.mk
from conform_probe import check
S = ["''", "' '", "'a'", "'hello world'", "'HELLO wORLD'", "\"it's a dog's life\"", "'x1y2 3z'", "'ǅungla ǆ'", "'ß straße'", "'ﬁne ﬂow'", "'İstanbul'", "'σσ ΣΣ ὈΔΥΣΣΕΎΣ'",
     "'a\\tb\\nc\\r\\nd\\x0be\\x0cf\\x1cg\\u2028h\\u0085i'", "'  lead and trail  '", "'\\u00a0nbsp\\u3000ideo'", "'a-b_c.d'", "'<p>Hi <b>there</b> &amp; <!-- c --> you</p>'", "'&lt;&#39;&#x41;&nbsp;&bogus;'",
     "'1_000'", "' 42 '", "'+5'", "'-0b101'", "'0x1F'", "'0o17'", "'017'", "'1e3'", "'3.99'", "'-3.5e-2'", "'inf'", "'-Infinity'", "'nan'", "'1_000.5'", "'0x'", "'١٢'", "'12abc'", "'True'",
     "'e\\u0301'", "'日本語テキスト'", "'emoji 😀 here'", "'x' * 30", "'one two three four five six'", "'http://x.com/a?b=1&c=<2>'", "'a/b c+d%e&f=g'", "'üñî'", "'tab\\there'", "'MiXeD CaSe 123abc'",
     "'o\\'neil mc-donald'", "'1st 2nd 3rd'", "'hello_world-foo bar'"]
FS = ['upper', 'lower', 'title', 'capitalize', 'trim', 'striptags', 'wordcount', 'length', 'reverse', 'center(9)', 'center(1)', 'int', 'int(-1, 16)', 'int(0, 0)', 'int(0, 8)', 'int(0, 2)', 'float', 'float(-1)',
      'urlencode', 'urlize', 'urlize(5)', 'e', 'forceescape', 'truncate(8)', 'truncate(8, true)', 'truncate(8, false, "", 0)', 'wordwrap(6)', 'wordwrap(6, false)', 'indent(2)', 'indent(2, true, true)',
      'list', 'first', 'last', 'unique|list', 'sort|join', 'max', 'min', 'tojson', 'pprint', 'string', 'replace(" ", "")', 'replace("", "|")', 'replace("a", "A", 1)', 'trim("a")', 'format', 'batch(4)|list',
      'slice(3)|list', 'filesizeformat', 'count', 'join("-")', 'select("upper")|list', 'select("lower")|list', 'map("upper")|join', 'random is string', 'safe', 'items']
T = []
for f in FS:
    for i in range(0, len(S), 1):
        T.append(mk('{{ %s|%s }}' % (S[i], f), ctx=F.CTX, autoescape=(i % 3 == 0)))
check(T, 'string filters')
