import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = []
for u in ['default', 'strict', 'chainable', 'debug']:
    for t in ["{{ 'one-two-three four'|wordwrap(7, break_on_hyphens=1) }}", "{{ 'one-two-three four'|wordwrap(7, break_on_hyphens='') }}", "{{ 'one-two-three four'|wordwrap(7, break_on_hyphens=none) }}",
              "{{ 'abcdefghijk'|wordwrap(3, break_long_words=0) }}", "{{ 'abcdefghijk'|wordwrap(3, break_long_words='') }}", "{{ 'abcdefghijk'|wordwrap(3, break_long_words=undefinedv) }}",
              "{{ 'a'|safe + undefinedv }}", "{{ undefinedv + 'a'|safe }}", "{{ ('a'|safe).join([undefinedv, 'b']) }}", "{{ 'a'|safe ~ undefinedv }}", "{{ ('%s'|safe) % undefinedv }}",
              "{{ ('a'|safe).replace('a', undefinedv) }}", "{{ 'a'|replace('a', undefinedv) }}", "{{ 'a'|safe|replace('a', undefinedv) }}", "{{ [undefinedv, 'b']|join('|'|safe) }}",
              "{{ 'abcdefghij'|safe|truncate(5, true, undefinedv, 0) }}", "{{ 'abcdefghij'|truncate(5, true, undefinedv, 0) }}", "{{ undefinedv|e }}", "{{ undefinedv|forceescape }}",
              "{{ 'abc'|truncate(2, killwords=undefinedv, leeway=0) }}", "{{ 'ab cd ef'|truncate(5, killwords=undefinedv, leeway=0) }}", "{{ 'abc'|center(undefinedv) }}",
              "{{ {}|dictsort(reverse=undefinedv) }}", "{{ d|dictsort(reverse=undefinedv) }}", "{{ d|dictsort(case_sensitive=undefinedv) }}", "{{ [1]|sort(reverse=undefinedv) }}",
              "{{ [2, 1]|sort(case_sensitive=undefinedv) }}", "{{ ['b', 'a']|sort(case_sensitive=undefinedv) }}", "{{ [2,1]|sort(attribute=undefinedv) }}", "{{ 'x'|attr(undefinedv) }}",
              "{{ 5|attr(5) }}", "{{ d|attr('items')() }}", "{{ 2.5|round(method=undefinedv) }}", "{{ 2.5|round(undefinedv) }}", "{{ 'a,b'.split(undefinedv) }}",
              "{{ [1, 2]|batch(undefinedv)|list }}", "{{ [1, 2]|slice(undefinedv)|list }}", "{{ 'abc'|indent(undefinedv) }}", "{{ 'abc'|wordwrap(undefinedv) }}", "{{ 1|filesizeformat(undefinedv) }}",
              "{{ 10000|filesizeformat(undefinedv) }}", "{{ 'x'|int(undefinedv) }}", "{{ 'x'|int(0, undefinedv) }}", "{{ '5'|int(0, undefinedv) }}", "{{ 'x'|float(undefinedv) }}",
              "{{ [1, 2]|join(undefinedv) }}", "{{ [1, 2]|sum(start=undefinedv) }}", "{{ []|sum(start=undefinedv) }}", "{{ 'a b'|urlize(undefinedv) }}", "{{ 'http://a.b/cdefgh'|urlize(undefinedv) }}",
              "{{ 'http://a.b'|urlize(target=undefinedv) }}", "{{ 'http://a.b'|urlize(rel=undefinedv) }}", "{{ 'http://a.b'|urlize(nofollow=undefinedv) }}", "{{ {'a': 1}|xmlattr(undefinedv) }}",
              "{{ [1, 2]|unique(undefinedv)|list }}", "{{ ['a', 'A']|unique(undefinedv)|list }}", "{{ [1, 2]|max(undefinedv) }}", "{{ ['a', 'B']|min(undefinedv) }}", "{{ [1]|groupby(undefinedv) }}",
              "{{ d|groupby('a', undefinedv) }}", "{{ [1, 2]|map(undefinedv)|list }}", "{{ [1, 2]|select(undefinedv)|list }}", "{{ [1, 2]|selectattr(undefinedv)|list }}"]:
        T.append(mk(t, ctx={'d': {'b': 1, 'a': 2}}, undefined=u))
check(T, 'undefined args 2')
