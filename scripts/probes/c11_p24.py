import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
B = {'b': '<{% block a %}A{% endblock %}|{% for i in [1, 2] %}{% block l %}L{{ i }}{% endblock %}{% endfor %}>', 'i': '[{{ self }}{% block ib %}IB{% endblock %}]',
     'c': '{% extends "b" %}{% block a %}CA{% endblock %}'}
T = ['{% extends "b" %}{% block l %}{{ i }}{% endblock %}',
'{% extends "b" %}{% block l scoped %}{{ i }}{% endblock %}',
'{% extends "b" %}{% block a %}{% include "i" %}{% endblock %}',
'{% include "i" %}{% block x %}X{% endblock %}',
'{% extends "c" %}{% block a %}{{ super() }}!{% endblock %}',
'{% extends "c" %}',
'{% extends "b" %}{% block a %}{% block inner %}IN{% endblock %}{% endblock %}{{ self.inner() }}',
'{% extends "b" %}{% block a %}{{ self.l() }}{% endblock %}',
'{% block a %}{{ self.b() }}{% endblock %}{% block b %}B{{ self.a is defined }}{% endblock %}',
'{% extends "b" %}{% set x = 1 %}{% block a %}{{ x }}{% endblock %}',
'{% extends "b" %}{% block a %}{% set x = 2 %}{{ x }}{% endblock %}{% block l %}{{ x }}{% endblock %}',
'{% for i in [1] %}{% block a %}{{ i }}{% endblock %}{% endfor %}',
'{% for i in [1] %}{% block a scoped %}{{ i }}{% endblock %}{% endfor %}',
'{% macro m() %}{% block a %}M{% endblock %}{% endmacro %}{{ m() }}',
'{% extends "b" %}{% macro m() %}m{% endmacro %}{% block a %}{{ m() }}{% endblock %}',
'{% extends "b" %}{% from "i" import x %}{% block a %}{% endblock %}',
'{% extends "b" %}{% import "c" as c %}{% block a %}{{ c }}{% endblock %}',
'{% extends "b" %}{% block a %}{{ loop }}{% endblock %}',
'{% extends "b" %}{% block l %}{{ loop.index }}{% endblock %}',
'{% extends "b" %}{% block l scoped %}{{ loop.index }}{% endblock %}',
]
check([mk(dict(B, main=t)) for t in T], 'inheritance quirks')
