import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
T = ['{% filter attr("x") %}abc{% endfilter %}','{% filter length %}abc{% endfilter %}','{% macro m() %}{% filter length %}ab{% endfilter %}{% endmacro %}[{{ m() }}]', '{% set x %}{% filter length %}ab{% endfilter %}{% endset %}', '{% call dict() %}{% endcall %}', '{% filter safe %}a{% endfilter %}', '{% filter list %}{% endfilter %}','{% filter float %}1{% endfilter %}',
'{% filter upper %}<{% endfilter %}', '{% filter e %}<{% endfilter %}', '{% filter string %}1{% endfilter %}', '{% filter default("x") %}{% endfilter %}', '{% filter join("-") %}abc{% endfilter %}',
'{% macro m() %}x{{ caller() }}{% endmacro %}{% call m() %}<{% endcall %}', '{% filter trim|int %} 1 {% endfilter %}', '{% filter tojson %}a{% endfilter %}', '{% filter pprint %}a{% endfilter %}', '{% filter wordcount %}a b{% endfilter %}',
'{% extends "b" %}{% filter length %}x{% endfilter %}', '{% filter first %}ab{% endfilter %}', '{% filter first %}{% endfilter %}', '{% filter indent %}a\nb{% endfilter %}',
'{% filter attr("upper") %}ab{% endfilter %}']
cases = []
for u in ['default', 'strict', 'chainable', 'debug']:
    for ae in [False, True]:
        cases += [mk({'main': t, 'b': 'B'}, undefined=u, autoescape=ae) for t in T]
check(cases, 'raw yields')
