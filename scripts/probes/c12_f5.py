import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))

import fuzz_filters as F; mk = F.mk
from conform_probe import check
T = []
for spec in ['z.1f', 'z', 'z.0f', 'z.2e', 'z.1%', 'z.3g', '+z.1f', ' z.1f', 'z08.1f', 'z,.1f', '%', '.1%', '#.0%', '>8%', '08.1%', 'E', 'F', 'G', 'z.1F', 'z.0', 'zg', 'zn', 'zd', 'zs', 'z.1', 'z=+9.2f', 'z#.0f']:
    for v in ['-0.0', '0.0', '-0.04', '-0.05', '-0.06', '-1e-9', '1e-9', 'inf', '-inf', 'nan', '-nan', '-2.5', '0', '-0', '-1', "'s'", 'true', '-0.0001', '-123.0', '-(0.0)']:
        T.append(mk('{{ %r.format(%s) }}' % ('{:%s}' % spec, v), ctx=F.CTX))
check(T, 'format z / %')
