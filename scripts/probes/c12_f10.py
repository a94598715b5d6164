import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
import random
import fuzz_filters as F; mk = F.mk
from conform_probe import check
R = random.Random(5)
T = []
vals = ['9007199254740993', '-9007199254740993', '2**53', '2**53+1', '2**64+1', '10**30', '-(10**30)', '3', '-3', '7', '0', '10**400', '10**399', '2**1100', '3**700', '10**22+1', '-1', '1', '2**60-1', '6', '10**17']
for a in vals:
    for b in vals:
        T.append(mk('{{ %s / (%s) }}' % (a, b), ctx=F.CTX))
for _ in range(300):
    a = R.randrange(-10**R.randint(1, 40), 10**R.randint(1, 40)); b = R.randrange(1, 10**R.randint(1, 40)) * R.choice([1, -1])
    T.append(mk('{{ %d / %d }} {{ (%d)|round(%d, "ceil") }} {{ (%d)|round(%d, "floor") }}' % (a, b, a, R.randint(0, 3), b, R.randint(0, 3)), ctx=F.CTX))
T.append(mk('{{ (9007199254740993)|round(1, "ceil") }} {{ 0 / -5 }} {{ 0 / -(10**30) }} {{ 10**400 / 10**399 }} {{ 1 / 10**400 }} {{ -1 / 10**330 }}', ctx=F.CTX))
check(T, 'int true division')
