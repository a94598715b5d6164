#!/usr/bin/env python3
"""Differential fuzzer for whole pages: a random layout (blocks, nested blocks, `self.x()`,
an include of a navigation partial looping with loop.cycle/first/last/changed), a random
middle template extending it or not, and a random page extending that (overriding a random
subset of blocks with or without `super()`, importing a macro library with or without
context, calling macros with `caller` and arguments, setting variables at the top level and in
blocks, filters over the context), rendered with a random context under random options by
Python Jinja2 and by `jinjac render` (scripts/conform_probe.py); prints every difference.

usage: python3 scripts/fuzz_pages.py SEED COUNT
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import check, mk  # noqa: E402

LIB = '''{% macro link(item, cls='') -%}
<a href="{{ item.href }}"{% if cls %} class="{{ cls }}"{% endif %}>{{ item.title }}</a>
{%- endmacro %}
{% macro box(title, level=2) -%}
<h{{ level }}>{{ title }}</h{{ level }}>{{ caller(level) if caller else '' }}{{ varargs|join(',') }}{{ kwargs|xmlattr }}
{%- endmacro %}
{% macro whoami() %}{{ user.name|default('anon') if user is defined else 'nouser' }}{% endmacro %}
{% set lib_version = '2' %}'''

NAVS = [
    '<nav>{% for item in nav %}{{ loop.cycle("odd", "even") }}:{{ item.title }}{% if not loop.last %}|{% endif %}{% endfor %}</nav>',
    '{% for item in nav %}{% if loop.first %}<ul>{% endif %}<li>{{ loop.index }}{{ item.title|e }}</li>{% if loop.last %}</ul>{% endif %}{% else %}none{% endfor %}',
    '{% for item in nav|sort(attribute="title") %}{% if loop.changed(item.title[0]) %}[{{ item.title[0] }}]{% endif %}{{ item.title }} {% endfor %}',
    '{% from "lib.html" import link %}{% for item in nav %}{{ link(item, "active" if item.href == active else "") }}{% endfor %}',
]
EXPRS = ['title', 'user.name', 'items|length', 'items|map(attribute="price")|sum', 'html', 'html|safe', 'lib_version|default("?")',
         'counter', 'page_var|default("none")', 'items|selectattr("price", "gt", 2)|map(attribute="name")|join(", ")',
         'title|upper|truncate(8)', '"%s-%d"|format(title, items|length)', 'nav|length', 'loop is defined', 'self is defined']


def layout(R):
    blocks = []
    for name in ('head', 'body', 'footer'):
        inner = R.choice(['', '{% block inner_' + name + ' %}in-' + name + '{% endblock %}', '{{ %s }}' % R.choice(EXPRS)])
        blocks.append('{%% block %s %%}<%s>%s{%% endblock %%}' % (name, name, inner))
    parts = ['<html>{% set counter = 1 %}', blocks[0]]
    parts.append(R.choice(['{% include "nav.html" %}', '{% include "nav.html" without context %}', '', '{{ self.head() }}']))
    parts.append(blocks[1])
    parts.append(R.choice(['{% for i in range(2) %}{% block loopy scoped %}[{{ i }}]{% endblock %}{% endfor %}', '', '{{ self.body()|length }}']))
    parts.append(blocks[2] + '</html>\n')
    return '\n'.join(parts)


def override(R, name):
    body = R.choice(['{{ super() }}', 'X{{ super()|upper }}', '{{ %s }}' % R.choice(EXPRS), '{% set counter = counter + 1 %}{{ counter }}',
                     '{% call(lv) lib.box(title, 3) %}c{{ lv }}{{ user.name|default("") }}{% endcall %}',
                     '{{ lib.box("t", 1, "va", data_x=1) }}', '{{ lib.whoami() }}', '{% for x in items %}{{ loop.index }}{{ x.name }}{% endfor %}',
                     '{{ self.head()|trim }}', '{% include "nav.html" %}'])
    return '{%% block %s %%}%s{%% endblock %%}' % (name, body)


def page(R, parent):
    head = ['{%% extends "%s" %%}' % parent]
    head.append(R.choice(['{% import "lib.html" as lib %}', '{% import "lib.html" as lib with context %}']))
    if R.random() < 0.5:
        head.append('{% set page_var = "P" ~ (items|length) %}')
    names = R.sample(['head', 'body', 'footer', 'inner_body', 'inner_head', 'loopy'], R.randint(1, 4))
    return ''.join(head) + '\n' + '\n'.join(override(R, n) for n in names) + '\n'


def context(R):
    return {
        'title': R.choice(['Home', 'A & B <c>', '', 'Ünïcode']),
        'user': R.choice([{'name': 'Ann'}, {}, {'name': '<b>x</b>'}]),
        'nav': R.sample([{'href': '/', 'title': 'Home'}, {'href': '/a', 'title': 'About'}, {'href': '/b', 'title': 'Blog & co'}], R.randint(0, 3)),
        'active': '/a', 'html': '<i>x</i>',
        'items': R.sample([{'name': 'n1', 'price': 1}, {'name': 'n2', 'price': 2.5}, {'name': 'n3', 'price': 3}], R.randint(0, 3)),
    }


def run(seed, n):
    R = random.Random(seed)
    cases = []
    for _ in range(n):
        t = {'lib.html': LIB, 'nav.html': R.choice(NAVS), 'layout.html': layout(R)}
        if R.random() < 0.5:
            t['mid.html'] = '{% extends "layout.html" %}' + override(R, R.choice(['head', 'body', 'footer']))
            parent = 'mid.html'
        else:
            parent = 'layout.html'
        t['page.html'] = page(R, parent)
        opts = R.choice([{}, {'autoescape': True}, {'trim_blocks': True, 'lstrip_blocks': True}, {'undefined': 'strict'},
                         {'autoescape': True, 'undefined': 'chainable'}, {'keep_trailing_newline': True}])
        c = mk(t, ctx=context(R), **opts)
        c['entry'] = 'page.html'
        c['templates'] = {'page.html': t['page.html'], **{k: v for k, v in t.items() if k != 'page.html'}}
        cases.append(c)
    check(cases, f'pages seed {seed}')


if __name__ == '__main__':
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1, int(sys.argv[2]) if len(sys.argv) > 2 else 200)
