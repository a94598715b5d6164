import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = []
for v in ["d.items()", "d.keys()", "d.values()", "(1, [2])", "(1, 2)", "[1]", "namespace()", "range(2)", "cycler(1)", "m", "'a'|safe", "missing"]:
    T += ["{{ (V) is filter }}", "{{ (V) is test }}", "{{ (V) in {'a': 1} }}", "{{ {V: 1} }}", "{{ [V, V]|unique|list|length }}", "{{ (V) is in({'a': 1}) }}", "{{ d.get(V) }}", "{{ dict([(V, 1)])|length }}", "{{ [V]|groupby(0)|list|length }}"]
    T = [t.replace('V', v) for t in T]
cases=[mk("{% macro m() %}{% endmacro %}" + t, ctx={'d': {'a': 1}}) for t in T]
check(cases, 'hashable')
