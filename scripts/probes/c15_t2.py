"""Fifteenth sweep: a filtered set block under autoescape is Markup(filtered value), whatever
the filters returned (lists, numbers, undefined values, in macros and autoescape blocks)."""
import sys; sys.path.insert(0, 'scripts'); from conform_probe import mk, check
T = ['{% set foo | trim | sort | string %} 42    {% endset %}{{ foo }}', '{% set foo | sort | string %}b<a{% endset %}{{ foo }}',
     '{% set foo | list %}b<a{% endset %}{{ foo }}|{{ foo|length }}', '{% set foo | length %}b<a{% endset %}{{ foo + 1 }}',
     '{% set foo | int %}5{% endset %}{{ foo }}{{ foo * 2 }}', '{% set foo | sort | first %}b<a{% endset %}{{ foo }}',
     '{% set foo | attr("x") %}b<a{% endset %}[{{ foo }}]', '{% set foo | default(none, true) %}{% endset %}{{ foo }}',
     '{% set foo | map("upper") %}ab{% endset %}{{ foo[:20] }}', '{% set foo | batch(2) | list %}b<a{% endset %}{{ foo }}',
     '{% autoescape false %}{% set foo | list %}b<a{% endset %}{{ foo }}{% endautoescape %}',
     '{% autoescape true %}{% set foo | list %}b<a{% endset %}{{ foo }}{% endautoescape %}',
     '{% macro m() %}{% set foo | list %}b<a{% endset %}{{ foo }}{% endmacro %}{{ m() }}',
     '{% set ns = namespace() %}{% set ns.x | list %}b<a{% endset %}{{ ns.x }}',
     '{% set a, b | list %}ab{% endset %}{{ a }}', '{% set foo | float %}1.5{% endset %}{{ foo }}{{ foo is string }}',
     '{% set foo | dictsort %}x{% endset %}{{ foo }}', '{% set foo | tojson %}<a>{% endset %}{{ foo }}',
     '{% for i in [1] %}{% set foo | list %}<{% endset %}{{ foo }}{% endfor %}',
     '{% set foo | sum(start=missing) %}{% endset %}[{{ foo }}]', '{% set foo | first %}{% endset %}[{{ foo }}]',
     ]
cases = [mk(t, autoescape=ae, undefined=u) for t in T for ae in [False, True] for u in ['default', 'strict', 'chainable', 'debug']]
check(cases, 'c15_t2')
