"""Fifteenth sweep, errors pass: `**` of an undefined value (UndefinedError of every kind, the
lookup of `keys`), namespace() of an undefined value, namespace targets inside a tuple
target checked before the value is evaluated."""
import sys; sys.path.insert(0, 'scripts'); from conform_probe import mk, check
T = ['{{ dict(**missing) }}', '{{ dict(*missing) }}', '{{ range(*missing) }}',
     '{% macro m() %}{{ kwargs }}{% endmacro %}{{ m(**missing) }}', '{{ foo(**bar) }}', '{{ foo(foo, **bar) }}',
     '{{ "a"|replace(**missing) }}', '{{ x is sameas(**missing) }}', '{{ dict(**none) }}', '{{ namespace(missing) }}',
     '{{ namespace(missing.x) }}', '{{ namespace(missing, a=1) }}', '{{ dict(a=1, **missing) }}',
     '{{ lipsum(**missing)|length > 0 }}', '{% call(x) dict(**missing) %}{% endcall %}',
     '{{ cycler(**missing) }}', '{{ [1]|map(**missing)|list }}', '{{ dict(**d) }}',
     '{% set missing = namespace(a=12, b=36) %}{% set ns.a, ns.b = ns.a + 1, ns.b + 1 %}{{ ns.a }}',
     '{% set ns = namespace() %}{% set ns.a, q.b = missing.x, 2 %}', '{% set ns = 1 %}{% set ns.a, ns.b = missing.x, 2 %}',
     '{% set ns = namespace() %}{% set x, (q.b, y) = missing.x, (2, 3) %}', '{% set ns = namespace() %}{% set ns.a, ns.b = 1, 2 %}{{ ns.a }}{{ ns.b }}',
     '{% set ns = namespace(foundfalse) %}{{ ns }}', '{% set ns = namespace(a12, b=36) %}{{ ns.a }}',
     ]
cases = [mk(t, undefined=u) for t in T for u in ['default', 'strict', 'chainable', 'debug']]
check(cases, 'c15_t3')
