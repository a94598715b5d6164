#!/usr/bin/env python3
"""c13 d15: `sameas` identity: string literals against context strings, variables, filter results and
subscripts, at run time and folded over constants (compile time), and numbers. Known remaining
differences: identity of numbers from the context (`big is sameas 12345678901234` is False in
Python), one-character strings decoded from JSON (not CPython's cached ones), filters that
return their input unchanged (`x|trim`, `x[:]`, `x|center(1)`: the same object in Python)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from conform_probe import mk, check
T=["{{ 'abc' is sameas 'abc' }}", "{{ 'a b' is sameas 'a b' }}", "{% macro m() %}{{ 'a b' is sameas x }}{% endmacro %}{% set x = 'a b' %}{{ m() }}",
   "{{ s is sameas s }}", "{{ users[0].name is sameas 'Ann' }}", "{{ users[0].name is sameas users[0].name }}", "{{ 'a' is sameas 'a' }}",
   "{{ users[0].tags[0] is sameas 'a' }}", "{{ '' is sameas '' }}", "{{ none|string is sameas 'None' }}", "{{ ('a' ~ 'b') is sameas 'ab' }}",
   "{% set x = 'abc' %}{{ x is sameas 'abc' }}", "{{ s|string is sameas s }}", "{{ s|trim is sameas s }}", "{{ s|trim is sameas s|trim }}",
   "{{ 'é' is sameas 'é' }}", "{{ d|first is sameas 'b' }}", "{{ users|map(attribute='name')|select('sameas', 'Ann')|list }}",
   "{{ 'x'|upper is sameas 'X' }}", "{{ 'ab'[0] is sameas 'a' }}", "{{ 'abc'[0:2] is sameas 'ab' }}", "{{ html|e is sameas html|e }}", "{{ 'ÿ' is sameas 'ÿ' }}", "{{ 'Ā'[0] is sameas 'Ā' }}",
   "{% set x = 'abc' %}{% set y = 'abc' %}{{ x is sameas y }}", "{% set x = 'a b' %}{% macro m(v) %}{{ v is sameas 'a b' }}{% endmacro %}{{ m(x) }}{{ m('a b') }}{{ m(s) }}",
   "{% for u in users %}{{ u.name is sameas 'Ann' }}{% endfor %}", "{% set l = ['x y', 'x y'] %}{{ l[0] is sameas l[1] }}", "{{ ['x y', 'x y']|first is sameas 'x y' }}",
   "{% set x = 'Ann' %}{{ x|default('z') is sameas x }}{{ x|string is sameas x }}{{ x|trim is sameas x }}{{ x|lower is sameas x }}{{ x|replace('q', 'r') is sameas x }}{{ (x ~ '') is sameas x }}{{ x|e is sameas x }}{{ x[:] is sameas x }}{{ x|first is sameas 'A' }}{{ x|last is sameas 'n' }}",
   "{{ s|default('z') is sameas s }}{{ s|string is sameas s }}{{ s|d is sameas s }}{{ s|safe is sameas s }}{{ s|list|join is sameas s }}{{ s.strip() is sameas s.strip() }}{{ s[0] is sameas ' ' }}{{ s[2] is sameas 'H' }}",
   "{{ 'a b'|lower is sameas 'a b' }}", "{% set x = 'xy' %}{{ x|upper|lower is sameas x }}{{ x|center(1) is sameas x }}{{ x|truncate(10) is sameas x }}{{ x|title is sameas 'Xy' }}{{ x.replace('z', 'w') is sameas x }}",
   {'main': "{% from 'lib' import v %}{{ v is sameas 'abc' }}{{ v is sameas 'a b' }}", 'lib': "{% set v = 'abc' %}"},
   "{{ users|selectattr('name', 'sameas', 'Ann')|list }}", "{{ ['a', 'b']|select('sameas', 'a')|list }}", "{{ [none, 1]|select('sameas', none)|list }}",
   "{{ 1000 is sameas 1000 }}{{ n is sameas 7 }}{{ big is sameas 12345678901234 }}{{ f is sameas 3.14159 }}{{ -4.5 is sameas neg }}"]
check([mk(t) for t in T], 'sameas')
T2=["{{ 1000 is sameas 1000 }}|{{ 256 is sameas 256 }}|{{ 257 is sameas 257 }}|{{ -5 is sameas -5 }}|{{ -6 is sameas -6 }}|{{ 1.0 is sameas 1.0 }}|{{ none is sameas none }}|{{ false is sameas false }}|{{ 0 is sameas false }}",
    "{{ '' is sameas '' }}|{{ 'ab' is not sameas 'ab' }}|{{ 'a' is not sameas 'a' }}|{{ none|default(1) is sameas 1 }}|{{ (1, 2) is sameas (1, 2) }}|{{ () is sameas () }}",
    "{% autoescape ae %}{{ 'abc' is sameas 'abc' }}|{{ 1000 is sameas 1000 }}{% endautoescape %}", "{% macro m() %}{{ 'abc' is sameas 'abc' }}{{ 300 is sameas 300 }}{% endmacro %}{{ m() }}",
    "{% set a = 300 %}{{ a is sameas 300 }}|{% set b = 'q r' %}{{ b is sameas 'q r' }}|{{ [1, 2]|select('sameas', 1)|list }}|{{ 2 ** 3 is sameas 8 }}|{{ 'ab'|length is sameas 2 }}",
    "{{ 'a' is sameas('a') }}|{{ 'abc' is sameas 'abd' }}|{{ 1 is sameas 1 is sameas true }}|{{ ('a' is sameas 'a') is sameas true }}"]
check([mk(t, ctx={'ae': False}) for t in T2] + [mk(t, ctx={'ae': True}, autoescape=True) for t in T2], 'sameas2')
