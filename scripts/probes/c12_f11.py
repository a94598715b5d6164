import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))

import fuzz_filters as F; mk = F.mk
from conform_probe import check
T = []
for v in ["'abc'", "'abcdefghijkl'", "'ab cd ef gh ij kl'", "''", "'x'|safe", 'html|safe', '5', 'none', 'undefinedv']:
    for a in ['inf', '2.5', '3.0', '9.5', '-inf', 'nan', '100.0', '1.5', '20.0', '3.0, true', '3.0, false, "!"', '5, false, "...", 0.5', '5, leeway=1.5', '3, leeway=inf', '5, leeway=-0.5',
              '5, leeway=nan', '2.9', 'length=4.0, end=""', '1e300', '0.0, end=""', '3.5, true, "..", 0.0']:
        T.append(mk('{{ %s|truncate(%s) }}' % (v, a), ctx=F.CTX))
check(T, 'truncate float bounds')
