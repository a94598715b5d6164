import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
L = {'lib': "{% macro a() %}A{% endmacro %}", 'base': "B{% block x %}bx{% endblock %}"}
T = []
for e in ["['nope', 'base']", "['base']", "('base',)", "{'a': 1}", "1", "none", "true", "x", "y", "[]", "''", "'base'|safe", "range(2)"]:
    T += ["{% extends " + e + " %}", "{% import " + e + " as l %}{{ l.a() }}", "{% from " + e + " import a %}{{ a() }}", "{% include " + e + " %}", "{% include " + e + " ignore missing %}"]
cases=[mk(dict(L, main=t), ctx={'x': ['base'], 'y': ('base',)}) for t in T]
check(cases, 'template names')
