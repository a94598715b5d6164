"""Fifteenth sweep: the reverse argument of sort/dictsort goes to Python's sorted(), which
wants an int that fits a C int (None, floats, strings, undefined values are TypeErrors,
big ints OverflowErrors), checked before the items are iterated."""
import sys; sys.path.insert(0, 'scripts'); from conform_probe import mk, check
T = ['{{ d|dictsort(reverse=big) }}', '{{ d|dictsort(reverse=none) }}', '{{ d|dictsort(reverse=1.5) }}', '{{ d|dictsort(reverse="a") }}',
     '{{ d|dictsort(reverse=2) }}', '{{ d|dictsort(reverse=-2147483649) }}', '{{ d|dictsort(reverse=-2147483648) }}',
     '{{ d|dictsort(reverse=missing) }}', '{{ [2,1]|sort(reverse=none) }}', '{{ [2,1]|sort(reverse="") }}', '{{ [2,1]|sort(reverse=[]) }}',
     '{{ []|sort(reverse=none) }}', '{{ [2,1]|sort(reverse=missing) }}', '{{ [2,1]|sort(reverse=2147483647) }}',
     '{{ [2,1]|sort(reverse=2147483648) }}', '{{ {}|dictsort(reverse=1.5) }}', '{{ 1|sort(reverse=none) }}', '{{ [2,1]|sort(missing) }}',
     '{{ [2,1]|sort(true) }}', '{{ [2,1]|sort(false, true) }}', '{{ d|dictsort(false, "value", true) }}', '{{ d|dictsort(false, "value", 0) }}',
     '{{ users|sort(attribute="age", reverse=1)|map(attribute="name")|list }}', '{{ d|dictsort(reverse=true) }}', '{{ [2,1]|sort(reverse=-1) }}',
     '{{ [2,1]|sort(reverse=true == 1) }}', '{{ "ba"|sort(reverse=none) }}', '{{ missing|sort(reverse=none) }}', '{{ missing|dictsort(reverse=none) }}',
     '{{ d|dictsort(by="bad", reverse=none) }}', '{{ d|dictsort(reverse=none, case_sensitive=missing) }}']
cases = [mk(t, undefined=u) for t in T for u in ['default', 'strict', 'chainable']]
check(cases, 'c15_t5')
