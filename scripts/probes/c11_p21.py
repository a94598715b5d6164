import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
B = {'b': 'B{% block q %}{% endblock %}', 'i': 'I{{ v }}', 'bi': '<{% block q %}{% endblock %}>{% include "i" %}'}
T = ['{% extends "b" %}{% include "i" %}', '{% extends "b" %}{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}c{% endcall %}',
'{% if true %}{% extends "b" %}{% endif %}{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}c{% endcall %}',
'{% extends "b" %}{% for i in [1] %}{% include "i" %}{% endfor %}', '{% extends "b" %}{% filter upper %}{% include "i" %}{% endfilter %}',
'{% extends "b" %}{% set x %}{% include "i" %}{% endset %}{% block q %}{{ x }}{% endblock %}',
'{% extends "b" %}{{ 1/0 }}', '{% if true %}{% extends "b" %}{% endif %}{{ 1/0 }}', '{% extends "b" %}{% set l = [] %}{{ l.append(1) }}{% block q %}{{ l }}{% endblock %}',
'{% extends "b" %}{% filter upper %}x{% endfilter %}', '{% extends "b" %}{% filter length %}x{% endfilter %}',
'{% include "i" %}{% extends "b" %}{% include "i" %}', '{% set v = 1 %}{% extends "bi" %}{% include "i" %}{% block q %}Q{% include "i" %}{% endblock %}',
'{% extends "b" %}{% if true %}{% include "i" %}{% endif %}{% with v = 2 %}{% include "i" %}{% endwith %}',
'{% extends "b" %}{% include "nope" ignore missing %}{% include "i" without context %}',
'{% extends "b" %}{% macro m() %}M{% endmacro %}{{ m() }}{% call m() %}{% endcall %}',
'{% extends "b" %}{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}{% include "i" %}x{% endcall %}',
'{% extends "b" %}{% autoescape true %}{% filter upper %}{% include "i" %}{% endfilter %}{% endautoescape %}',
'{% extends "b" %}{% for i in [1, 2] %}{{ i }}{% include "i" %}{% endfor %}',
'{% extends "b" %}{% import "i" as x %}{% from "i" import y %}',
'{% extends "b" %}{{ missing.x }}', '{% extends "b" %}{% if missing.x %}{% endif %}',
'{% extends "b" %}{% include "b" %}',
'{% extends "b" %}{% block q %}{% include "i" %}{% endblock %}{% include "i" %}',
]
cases = []
for u in ['default', 'strict']:
    for ae in [False, True]:
        cases += [mk(dict(B, main=t), ctx={'v': '<'}, undefined=u, autoescape=ae) for t in T]
check(cases, 'extends+raw output')
