#!/usr/bin/env python3
"""Sixteenth sweep: Python's complex numbers (a negative number to a fractional power and what
a template computes from it), against Jinja2: reprs, operators with every number kind, `==`,
ordering, hashing, attributes, number filters and tests, %-formatting and str.format, under
autoescape and each undefined kind. `python3 scripts/probes/c16_complex.py`"""
import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

SET = "{% set c = (-8) ** 0.5 %}{% set z = c * 0 %}{% set u = (-1) ** 0.5 %}"
C = ['c', 'z', 'u', '-z', '-c', 'c * 1e308 * 1e308', '(-8) ** (1/3)', '(-1) ** 1.5', '(-2) ** -0.5', '(-8.0) ** 0.5',
     'true ** 0.5', '(-(10**20)) ** 0.5', '(-1e-300) ** 0.5', 'c.conjugate()', 'u - u.real', 'z + 2', 'u * u', '(-4) ** 0.5 * 0 - 1']
N = ['0', '1', '-1', '2', '0.5', '-0.0', 'true', 'false', '10**30', '10**400', '1e308', 'c', 'z', 'u', "'x'", 'none', '[1]']
OPS = ['+', '-', '*', '/', '//', '%', '**', '==', '!=', '<', '>=', 'in']
T = []
for a in C:
    for f in ['', '|string', '|abs', '|int', '|float', '|round', '|round(1, "ceil")', '|filesizeformat', '|tojson', '|pprint', '|e', '|sum',
              '|list', '|default(1)', ' is number', ' is integer', ' is float', ' is divisibleby 2', ' is odd', ' is true',
              ' is sameas c', ' is eq 1', ' is lt 1', '.real', '.imag', '.conjugate()', '.conjugate(1)', '.foo', '|length', ' ~ "!"',
              ' if x else 0', '|count', '|first', '|join']:
        T.append(mk(SET + '{{ (%s)%s }}' % (a, f), ctx={'x': 0}))
    T.append(mk(SET + '{{ "yes" if %s else "no" }} {{ not %s }} {{ -(%s) }} {{ +(%s) }}' % (a, a, a, a), ctx={}))
for a in C[:6] + ['2']:
    for op in OPS:
        for b in N:
            if a == '2' and op == '**' and b.startswith('10**'):
                continue  # Python computes 2 ** 10**400
            T.append(mk(SET + '{{ (%s) %s (%s) }}' % (a, op, b), ctx={}))
            T.append(mk(SET + '{{ (%s) %s (%s) }}' % (b, op, a), ctx={}))
for b in ['0.5', '-0.5', '1.5', '1/3', '2.5', '-2.5', '1e300', '-1e-300', "float('nan')" if False else '0.0 / 1', '7', '-7', '101', '1e308', 'c', 'u', 'z']:
    for a in ['-8', '-1', '-0.5', '-1e308', '-1e-300', '-(2**70)', '0', '-0.0', 'c', 'u', 'z', '1e-200', '2']:
        T.append(mk(SET + '{{ (%s) ** (%s) }}' % (a, b), ctx={}))
FMT = ["'%s' % c", "'%r' % c", "'%d' % c", "'%f' % c", "'%5s|%-50s|' % (u, c)", "'%x' % c", "'%s' % z", "'%c' % c",
       "'{}'.format(c)", "'{!r}'.format(c)", "'{!s}'.format(u)", "'{:.2f}'.format(c)", "'{:>20}'.format(u)", "'{:<20}|'.format(-z)",
       "'{:^20}'.format(u)", "'{:*^20}'.format(u)", "'{:e}'.format(c)", "'{:E}'.format(c)", "'{:g}'.format(c)", "'{:G}'.format(c * 1e20)",
       "'{:n}'.format(c)", "'{:.3}'.format(c)", "'{:.3}'.format(u + 2)", "'{:.0}'.format(u)", "'{:10.2f}'.format(u)", "'{:+}'.format(u)", "'{:+.1f}'.format(c)",
       "'{: }'.format(u)", "'{: .1f}'.format(-c)", "'{:,}'.format(c * 1e6)", "'{:_.2f}'.format(c * 1e6)", "'{:,.2f}'.format(z + 12345)",
       "'{:010}'.format(c)", "'{:0<10}'.format(u)", "'{:=10}'.format(u)", "'{:%}'.format(u)", "'{:d}'.format(u)", "'{:s}'.format(u)",
       "'{:#}'.format(u + 2)", "'{:#.0f}'.format(u + 2)", "'{:z.1f}'.format(-z)", "'{:z}'.format(-z)", "'{:.2}'.format(z)", "'{}'.format(-z)",
       "'{:f}'.format(c * 1e308 * 1e308)", "'{}'.format(c * 1e308 * 1e308)", "'{:F}'.format(c * 1e308 * 1e308)", "'{:.1e}'.format(z)",
       "'{0.real} {0.imag}'.format(c)", "c|format", "'%s'|format(c)", "'%.2f'|format(c)", "'{:.3}'.format(2 + u * 0)", "'{:g}'.format(u * 0 + 2)"]
for e in FMT:
    T.append(mk(SET + '{{ %s }}' % e, ctx={}))
MISC = ["{{ {c: 1, z: 2, 0: 3} }}", "{{ {z: 1}[0] }}", "{{ {0: 1}[z] }}", "{{ [c, c, z, 0, 0.0]|unique|list }}", "{{ c in [c] }} {{ z in [0] }} {{ 0 in [z] }} {{ z in {0: 1} }} {{ c in {c: 1} }}",
        "{{ [c, u]|max }}", "{{ [c]|max }} {{ [c]|min }}", "{{ [c, 1]|sort }}", "{{ [c]|sort }}", "{{ [c, z]|sum }}", "{{ [1, c]|sum(start=u) }}", "{{ [c, z]|map('abs')|list }}",
        "{{ [c, u]|groupby('real')|list }}", "{{ [c, u]|map(attribute='imag')|list }}", "{{ [c, z]|select|list }}", "{{ [c, z]|reject|list }}", "{{ [c, z]|join(', ') }}",
        "{{ [c]|tojson }}", "{{ {'a': c}|pprint }}", "{{ (c, z) }}", "{{ [c, z]|string }}", "{{ c|string|length }}", "{{ [c, u]|sort(attribute='imag') }}",
        "{{ c == c }} {{ c == u }} {{ z == 0 }} {{ z == 0.0 }} {{ z == false }} {{ z != 0 }} {{ c != 'x' }} {{ c == none }}", "{{ c < c }}", "{{ z <= 0 }}",
        "{{ c|abs > 2 }}", "{{ (c|abs)|round(3) }}", "{{ c.real|round(3) }}", "{{ c is sameas c }}", "{% set d = c %}{{ d is sameas c }}",
        "{% for x in [c, z] %}{{ loop.index }}={{ x }};{% endfor %}", "{{ c|attr('real') }}", "{{ c['real'] }}", "{{ c.real.imag }}",
        "{% if c %}t{% endif %}{% if z %}u{% endif %}", "{{ z or 'e' }} {{ c and 'a' }}", "{{ [c]|first }}", "{{ range(3)|map('pow', c) if false else 1 }}",
        "{{ c.__class__ if false else 1 }}", "{{ c|center(50) }}", "{{ c|upper }}", "{{ c|replace('j', 'i') }}", "{{ c|wordcount }}", "{{ c|urlencode }}",
        "{{ c|dictsort if false else 1 }}", "{{ c|batch(2) if false else 1 }}", "{{ c|xmlattr if false else 1 }}", "{{ c|items if false else 1 }}",
        "{% set ns = namespace(v=c) %}{{ ns.v }}", "{% macro m(v=c) %}{{ v }}{% endmacro %}{{ m() }}", "{{ (2 ** 0.5) ** 2 }}", "{{ 4 ** 0.5 }} {{ (-4) ** 2.0 }} {{ (-4.0) ** -1 }}"]
for t in MISC:
    T.append(mk(SET + t, ctx={}))
for o in [dict(autoescape=True), dict(undefined='strict'), dict(undefined='chainable'), dict(undefined='debug')]:
    for t in ["{{ c }} {{ [c] }} {{ c|e }} {{ c ~ '<' }} {{ c|safe }}", "{{ missing ** 0.5 }}", "{{ c + missing }}", "{{ missing + c }}", "{{ c == missing }}",
              "{{ c.missing }}", "{{ c.missing.x }}", "{{ c|default(missing) }}", "{{ (-2) ** missing }}", "{{ '%s' % c }}", "{{ '{}'.format(c) }}",
              "{{ c is number }}", "{{ c * missing }}", "{{ c in missing }}", "{{ missing|abs }}"]:
        T.append(mk(SET + t, ctx={}, **o))
check(T, 'complex numbers')
