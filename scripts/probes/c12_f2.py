import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
import fuzz_filters as F
T = []
for name in F.FILTERS:
    pools = F.P.get(name, [])
    base = [p[0] for p in pools] or []
    for i in range(max(len(base), 1)):
        for u in ['undefinedv', 'undefinedv.x']:
            args = list(base) if base else []
            if args: args[i] = u
            else: args = [u]
            for v in [F.KINDS[F.FIN.get(name, 'any')][0], F.KINDS[F.FIN.get(name, 'any')][2]]:
                for und in ['default', 'strict', 'chainable', 'debug']:
                    T.append(mk('{{ %s|%s(%s) }}' % (v, name, ', '.join(args)), ctx=F.CTX, undefined=und))
    for k in F.KW[name]:
        for und in ['default', 'strict', 'chainable', 'debug']:
            v = F.KINDS[F.FIN.get(name, 'any')][0]
            T.append(mk('{{ %s|%s(%s=undefinedv) }}' % (v, name, k), ctx=F.CTX, undefined=und))
check(T, 'undefined arguments')
