import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
import fuzz_filters as F; mk = F.mk
V = ['0', '7', '-7', '255', '10**20', '-(10**20)', '3.14159', '-2.5', '0.0', '-0.0', '1e16', '1e-7', '123456.789', '2.5', '1e300', 'inf', '-inf', 'nan', 'true', 'false', 'none', "'abc'", "'é'", "''", "'<b>'|safe", '[1]', '(1, 2)', "{'a': 1}", 'undefinedv']
SPECS = ['', 's', 'd', 'x', 'X', 'o', 'b', 'c', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%', '.2f', '.0f', '.3e', '.3g', '.0e', '#x', '#o', '#b', '#g', '#.0f', '+', ' ', '-', '+.1f', ' .1f',
         '08.2f', '08', '-08d', '<8', '>8', '^8', '=8', '*^9', '0=8', ',', '_', ',.2f', '_x', '_b', ',d', '.3', '.3s', '10.3s', '>10.3s', 'z.1f', '.1%', '#', '.10g', '.17g', '.1', '.0', '.12', '!r', '!s', '!a', '!r:>10', '!s:^7']
T = []
for spec in SPECS:
    fs = '{%s}' % spec if spec.startswith('!') else '{:%s}' % spec
    for i in range(0, len(V), 10):
        # one case per value: errors must not hide the others
        for v in V[i:i + 10]:
            T.append(mk('{{ %r.format(%s) }}' % (fs, v), ctx=F.CTX))
PF = ['%s', '%r', '%a', '%d', '%i', '%u', '%x', '%X', '%o', '%e', '%E', '%f', '%F', '%g', '%G', '%c', '%5s', '%-5s|', '%.2s', '%05d', '%+d', '% d', '%#x', '%#o', '%.3f', '%10.3e', '%-+8.2f|', '%#g', '%.0f', '%.0e', '%#.0f', '%08.3f', '%.15g', '%5%', '%(a)s']
for p in PF:
    for v in V:
        T.append(mk('{{ %r %% %s }}' % (p, v), ctx=F.CTX))
        T.append(mk('{{ %r|format(%s) }}' % (p, v), ctx=F.CTX))
check(T, 'format specs')
