import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))

import fuzz_filters as F; mk = F.mk
from conform_probe import check
T = []
for name in F.FILTERS + ['sum', 'wordcount']:
    pools = F.P.get(name, [])
    argsets = [''] + (['(%s)' % ', '.join(p[0] for p in pools[:max(1, F.REQ.get(name, 1))])] if pools else [])
    for a in argsets:
        for v in ['undefinedv', 'undefinedv.x', 'none.x' if False else 'd.nope']:
            for u in ['default', 'strict', 'chainable', 'debug']:
                for tail in ['', '|list', ' is defined']:
                    T.append(mk('{{ %s|%s%s%s }}' % (v, name, a, tail), ctx=F.CTX, undefined=u))
check(T, 'filters on undefined values')
