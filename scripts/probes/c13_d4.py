#!/usr/bin/env python3
"""c13 d4: inheritance, imports and includes (multi-template), hand-written in the own style,
each under autoescape off/on, trim_blocks+lstrip_blocks and keep_trailing_newline."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

LIB = {
    'base.html': '<title>{% block title %}Base{% endblock %}</title>\n{% block body %}<p>{{ n }}</p>{% endblock %}\n{% block footer %}F{% endblock %}\n',
    'mid.html': '{% extends "base.html" %}{% block title %}Mid-{{ super() }}{% endblock %}{% block body %}[{{ super() }}]{% block inner %}I{% endblock %}{% endblock %}',
    'macros.html': '{% set version = "1.0" %}{% macro hello(who) %}Hello {{ who }}{{ n|default("!") }}{% endmacro %}{% macro ctx() %}{{ users|length if users is defined else "nousers" }}{% endmacro %}{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% macro _private() %}p{% endmacro %}',
    'part.html': '<part n={{ n }} x={{ x|default("-") }} item={{ item|default("-") }}>\n',
    'loopy.html': '{% for u in users %}{{ loop.index }}{{ u.name }}{% endfor %}',
    'setter.html': '{% set leaked = "L" %}{{ leaked }}',
    'uses_self.html': '{% block a %}A{% endblock %}|{{ self.a() }}|{% block b %}{{ self.a()|lower }}{% endblock %}',
    'deep1.html': '{% extends "deep2.html" %}{% block x %}1{{ super() }}{% endblock %}',
    'deep2.html': '{% extends "deep3.html" %}{% block x %}2{{ super() }}{% endblock %}',
    'deep3.html': '{% block x %}3{% endblock %}{% block y %}Y{% endblock %}',
    'escaper.html': '{{ html }}{% autoescape false %}{{ html }}{% endautoescape %}',
    'caller_lib.html': '{% macro list(items) %}<ul>{% for i in items %}<li>{{ caller(i) }}</li>{% endfor %}</ul>{% endmacro %}',
}
T = [
    '{% extends "mid.html" %}{% block inner %}C{{ super() }}{% endblock %}',
    '{% extends "mid.html" %}{% block title %}T{{ super() }}{% endblock %}{% block footer %}{{ super()|lower }}{{ self.title() }}{% endblock %}',
    '{% extends "base.html" %}{% block body %}{% for u in users %}{% block row scoped %}{{ u.name }}{% endblock %}{% endfor %}{% endblock %}',
    '{% extends "base.html" %}{% block body %}{% include "part.html" %}{% endblock %}',
    '{% extends "base.html" %}{% set x = "X" %}{% block body %}{% include "part.html" %}{{ x }}{% endblock %}',
    '{% extends "base.html" %}{% from "macros.html" import hello %}{% block body %}{{ hello("b") }}{% endblock %}',
    '{% extends "base.html" %}{% block body %}{% from "macros.html" import hello %}{{ hello("b") }}{% endblock %}{% block title %}{{ hello is defined }}{% endblock %}',
    '{% extends "deep1.html" %}', '{% extends "deep1.html" %}{% block x %}0{{ super() }}{% endblock %}{% block y %}{{ super() }}{{ super() }}{% endblock %}',
    '{% include "uses_self.html" %}', '{% extends "uses_self.html" %}{% block a %}CA{% endblock %}',
    '{% extends "uses_self.html" %}{% block b %}[{{ super() }}]{% endblock %}',
    '{% import "macros.html" as m %}{{ m.hello("x") }}|{{ m.version }}|{{ m.ctx() }}|{{ m._private is defined }}|{% call m.wrap() %}w{% endcall %}',
    '{% import "macros.html" as m with context %}{{ m.ctx() }}{{ m.hello(html) }}',
    '{% from "macros.html" import hello, ctx as c, version %}{{ hello(1) }}{{ c() }}{{ version }}',
    '{% from "macros.html" import _private %}', '{% from "macros.html" import nope %}{{ nope is defined }}',
    '{% for x in [1, 2] %}{% include "part.html" %}{% endfor %}', '{% for item in users %}{% include "part.html" %}{% endfor %}',
    '{% set x = 5 %}{% include "part.html" without context %}|{% include "part.html" with context %}',
    '{% macro m() %}{% include "part.html" %}{% endmacro %}{{ m() }}{% set x = 1 %}{{ m() }}',
    '{% macro m(x) %}{% include "part.html" %}{% endmacro %}{{ m("mx") }}',
    '{% include "loopy.html" %}{% include "setter.html" %}[{{ leaked|default("nl") }}]',
    '{% include ["missing.html", "part.html"] %}{% include "missing.html" ignore missing %}|{% include ["a", "b"] ignore missing %}|',
    '{% include "escaper.html" %}', '{% autoescape false %}{% include "escaper.html" %}{% endautoescape %}',
    '{% from "caller_lib.html" import list %}{% call(u) list(users) %}{{ u.name }}{{ html }}{% endcall %}',
    '{% import "caller_lib.html" as c %}{% call(i) c.list([1, 2]) %}{% include "part.html" %}{{ i }}{% endcall %}',
    '{% extends "base.html" %}{% block body %}{% call(i) ns.list([1]) %}{% endcall %}{% endblock %}{% import "caller_lib.html" as ns %}',
    '{% extends "base.html" %}{% block title %}{% block sub %}S{% endblock %}{% endblock %}{% block body %}{{ self.sub() }}{% endblock %}',
    '{% extends "base.html" %}{% block body %}{{ super() }}{{ super() }}{% endblock %}{% block footer %}{% endblock %}',
    '{% if n > 5 %}{% extends "base.html" %}{% else %}{% extends "mid.html" %}{% endif %}{% block title %}c{% endblock %}',
    '{% set tpl = "base.html" %}{% extends tpl %}{% block footer %}{{ tpl }}{% endblock %}',
    '{% extends "base.html" %}{% macro m() %}M{% endmacro %}{% block body %}{{ m() }}{% endblock %}',
    '{% extends "base.html" %}{% block body %}{% set v = 1 %}{% for i in range(2) %}{% set v = v + i %}{% endfor %}{{ v }}{% endblock %}',
    '{% import "macros.html" as m %}{% for u in users %}{{ m.hello(u.name) }};{% endfor %}',
    '{% extends "base.html" %}{% block body %}{% filter upper %}{{ super() }}{% endfilter %}{% endblock %}',
    '{% extends "base.html" %}{% block body %}{% set s2 %}{{ super() }}{% endset %}{{ s2|length }}{{ s2 }}{% endblock %}',
    '{% extends "base.html" %}{% block body %}{{ super()|e }}{{ super() is escaped }}{% endblock %}',
    '{% block a %}{% block b %}B{% endblock %}{% endblock %}{{ self.b() }}{{ self.a() }}',
    '{% include "part.html" ignore missing with context %}{% include "part.html" ignore missing without context %}',
    '{% with x = "W" %}{% include "part.html" %}{% endwith %}',
    '{% set item = "S" %}{% for n in [1] %}{% include "part.html" %}{% endfor %}',
    '{% import "macros.html" as m %}{{ m }}' if False else '{% import "macros.html" as m %}{{ m.hello }}',
    '{% extends "base.html" %}{% block body required %}{% endblock %}' if False else '{% extends "base.html" %}{% block title scoped %}{{ n }}{% endblock %}',
    '{% from "macros.html" import hello with context %}{% set n = "local" %}{{ hello("a") }}',
    '{% import "macros.html" as m with context %}{% set n = "local" %}{{ m.hello("a") }}',
    '{% set n = "local" %}{% import "macros.html" as m with context %}{{ m.hello("a") }}{% import "macros.html" as m2 %}{{ m2.hello("b") }}',
]
cases = []
for t in T:
    for o in (dict(autoescape=False), dict(autoescape=True), dict(trim_blocks=True, lstrip_blocks=True), dict(keep_trailing_newline=True)):
        tm = dict(LIB); tm['main'] = t
        cases.append(mk({'main': t, **LIB}, **o))
check(cases, 'c13_d4 inheritance/imports')
