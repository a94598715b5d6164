import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = r'''
{{ range(3).start }} {{ range(1, 10, 2).step }} {{ range(5).index(3) }} {{ range(5).count(2) }} {{ range(4, 1, -1).stop }}
{{ range(3) == range(3) }} {{ range(0) == range(2, 2) }} {{ range(0, 3) == range(0, 3, 1) }} {{ range(1, 2, 5) == range(1, 3, 7) }} {{ range(3) == [0, 1, 2] }} {{ range(3) != range(4) }}
{{ range(5).index(7) }}
{{ range(5).index(true) }} {{ range(5).index(2.0) }} {{ range(5).count('a') }}
{{ range(5).index() }}
{{ range(10)[2:5] == range(2, 5) }} {{ range(10)[::2] }} {{ [range(2)] == [range(2)] }} {{ range(3) in [range(3)] }}
{{ range(3)|unique|list }} {{ [range(2), range(2)]|unique|list }}
{{ range(3).start is number }}
'''
cases = [mk(l) for l in T.strip().split('\n')]
check(cases, 'range')
