import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
vals = ["1", "1.0", "true", "none", "'a'", "''", "[1]", "[]", "{}", "{'a': 1}", "(1,)", "range(2)", "missing", "'a'|safe", "d.items()", "cycler(1)", "namespace()", "lipsum", "2**70", "-0.0", "d", "m", "loop"]
tests = ["defined", "undefined", "none", "boolean", "false", "true", "integer", "float", "number", "string", "mapping", "iterable", "sequence", "callable", "escaped", "odd", "even", "lower", "upper", "divisibleby(2)", "sameas(1)", "in([1, 'a'])", "eq(1)", "gt(0)", "filter", "test"]
cases = []
for v in vals:
    parts = []
    for t in tests:
        parts.append("{% set r %}{{ V is T }}{% endset %}".replace("V", v).replace("T", t))
    # one template per value; each test separately to isolate errors
    for t in tests:
        cases.append(mk("{% macro m() %}{% endmacro %}{% for _ in [1] %}{{ (" + v + ") is " + t + " }}{% endfor %}", ctx={'d': {'a': 1}}))
check(cases, 'tests')
