import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))

import fuzz_filters as F; mk = F.mk
from conform_probe import check
N = ['0', '-0', '1', '-1', '7', '-7', '1023', '1024', '-1536', '1000000', '10**15', '10**21', '-(10**30)', '2**63', '-(2**63)', '2**64', '0.0', '-0.0', '0.5', '1.5', '2.5', '-2.5', '0.125', '2.675',
     '1e16', '1e22', '1.5e300', '1e-7', '1e-320', '-1e-5', '123456789.987654321', '0.1 + 0.2', '1/3', '2/3', '10/4', '-7/2', '7//2', '-7//2', '7.5//2', '-7.5//2', '7%3', '-7%3', '7%-3', '-7.5%2', '7.5%-2',
     '2**-1', '(-2)**3', '(-2)**-2', '10**-3', '2**0.5', '4**0.5', '0**0', '0.0**0', 'inf', '-inf', 'nan', 'true', 'false', 'big', '-big', 'big*big', 'big/3', 'big//7', 'big%7', '-big%7', 'big*1.0',
     'n', 'neg', 'f', '3 * 1.1', '1e308*10', '0.1*3', '100.0', '1e15', '1e15+0.3', '123456789012345678.0', '9007199254740993', '9007199254740993.0', '-1e-300*1e-300']
FS = ['', '|string', '|int', '|float', '|abs', '|round', '|round(1)', '|round(2)', '|round(-1)', '|round(0, "ceil")', '|round(0, "floor")', '|round(1, "ceil")', '|round(-2, "floor")', '|filesizeformat',
      '|filesizeformat(true)', '|tojson', '|pprint', '|format', '|e', '|center(5)', '|length if false else 0', ' is number', ' is integer', ' is float', ' is even', ' is odd', ' is divisibleby 3',
      ' is divisibleby 0.5', ' is gt 1', ' is eq 1.0', '|string|length', ' ~ ""', '|sum if false else 0', '|list if false else 0', '|truncate(3) if false else 0', '|int(base=16) if false else 0',
      ' // 1', ' % 1', ' / 2', ' * -1', ' ** 2', ' - 0.1', ' == 1', ' < 1', ' + true']
T = []
for f in FS:
    for v in N:
        T.append(mk('{{ (%s)%s }}' % (v, f), ctx=F.CTX))
check(T, 'numeric filters')
