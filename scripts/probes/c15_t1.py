"""Fifteenth sweep, template mutants: groupby's namedtuples compared/hashed, namespace()'s
dict() arguments, truncate's end of a non-string."""
import sys; sys.path.insert(0, 'scripts'); from conform_probe import mk, check
T = [
    "{{ users|groupby('age')|max|list }}", "{{ users|groupby('age')|min('x')|list }}",
    "{{ users|groupby('city')|sort(reverse=true)|map(attribute='grouper')|list }}",
    "{{ users|groupby('age')|unique|list }}", "{{ (users|groupby('age'))[0] == (users|groupby('age'))[0] }}",
    "{{ (users|groupby('age'))[0] < (99,) }}", "{{ (1, 2) > (users|groupby('age'))[0] }}",
    "{{ (users|groupby('age'))[0] in [(25, [])] }}", "{{ {(users|groupby('age'))[0]: 1} }}",
    "{{ [1, 2]|groupby(0)|list }}", "{{ users|groupby('age')|list == users|groupby('age')|list }}",
    "{{ users|groupby('age')|first > users|groupby('age')|last }}",
    "{{ namespace('a<b') }}", "{{ namespace('') }}", "{{ namespace([]) }}", "{{ namespace(['ab']) }}",
    "{{ namespace([('a', 1)], b=2) }}", "{{ namespace({}, {}) }}", "{{ namespace(1) }}", "{{ namespace(d) }}",
    "{{ namespace([[1, 2, 3]]) }}", "{{ namespace([[[1], 2]]) }}", "{{ namespace(none) }}", "{{ namespace(x=1).x }}",
    "{{ 'foobar baz bar qux'|truncate(15, false, {}) }}", "{{ 'foobar baz'|truncate(15, false, {}) }}",
    "{{ 'foobar baz bar qux'|truncate(15, true, []) }}", "{{ 'foobar baz bar qux'|truncate(15, true, 5) }}",
    "{{ 'foobar baz bar qux'|truncate(15, true, none) }}", "{{ html|truncate(5, true, []) }}",
    "{{ html|truncate(5, true, missing) }}", "{{ 'foobar baz bar qux'|truncate(15, true, missing) }}",
    "{{ 'foobar baz bar qux'|truncate(15, true, '<'|safe) }}",
]
cases = []
for t in T:
    for u in ['default', 'strict', 'chainable']:
        for ae in [False, True]:
            cases.append(mk(t, undefined=u, autoescape=ae))
check(cases, 'c15_t1')
