"""Fifteenth sweep, double template mutants: round(precision=None) (Python's round(x, None),
an int), wordwrap with a float width (compared as its floor; a word to break fails)."""
import sys; sys.path.insert(0, 'scripts'); from conform_probe import mk, check
T = ['{{ 2.675|round(none) }}', '{{ 2.5|round(none) }} {{ 3.5|round(none) }} {{ -0.5|round(none) }}', '{{ 7|round(none) }}',
     '{{ true|round(none) }}', '{{ 2.5|round(none, "floor") }}', '{{ 1e300|round(none) }}', '{{ "x"|round(none) }}',
     '{{ (1e308 * 10)|round(none) }}', '{{ f|round(none) }}', '{{ n|round(none) }}', '{{ (2.5|round(none)) is integer }}',
     '{{ big|round(none) }}', '{{ 2.5|round(precision=none) }}']
W = ['aaaaaaaa aaaaaaaa aaaa bbbbb word another', 'one-two-three four', 'aaaaaaaaaaaaaaaaaaaa bbbbb', 'a     b    c  d',
     '  lead  x', 'The quick brown fox', 'a\nbb ccc\n\ndddd', 'ab', 'abc-def ghi', 'x']
for w in W:
    for width in ['1.5', '0.5', '4.0', '4.7', '7.9', '100.0', '0.0', '-1.5', '1e300', '3.5']:
        for extra in ['', ', false', ', true, "|"', ', true, none, false', ', false, none, false']:
            T.append('{{ %r|wordwrap(%s%s)|tojson }}' % (w, width, extra))
cases = [mk(t) for t in T]
check(cases, 'c15_t4')
