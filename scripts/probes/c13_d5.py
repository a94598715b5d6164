#!/usr/bin/env python3
"""c13 d5: whole pages (area `pages`): multi-template sites (layout with blocks, child pages
with super(), a macro library imported with and without context, includes in loops, navigation
with loop.cycle/loop.first/changed, form macros with caller), rendered with realistic contexts
under autoescape off/on and each whitespace option."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

SITE = {
'layout.html': '''<!doctype html>
<html lang="{{ lang|default('en') }}">
<head>
  {% block head %}
  <meta charset="utf-8">
  <title>{% block title %}{{ site.name }}{% endblock %}</title>
  {% endblock head %}
</head>
<body class="{% block body_class %}page{% endblock %}">
  {% include "nav.html" %}
  {% block flash %}{% for cat, msg in messages %}<div class="flash {{ cat }}">{{ msg }}</div>{% endfor %}{% endblock %}
  <main>{% block content required %}{% endblock %}</main>
  {%- block footer %}
  <footer>{{ site.name }} &middot; {{ site.year }}{% if user %} &middot; {{ user.name }}{% endif %}</footer>
  {%- endblock %}
</body>
</html>
''',
'nav.html': '''<nav>
  {%- for item in nav %}
  {%- if loop.first %}<ul>{% endif %}
    <li class="{{ loop.cycle('odd', 'even') }}{% if item.href == active %} active{% endif %}">
      <a href="{{ item.href }}" title="{{ item.title|default(item.caption) }}">{{ item.caption|e }}</a>
      {%- if item.children %}<ul>{% for c in item.children %}<li>{{ c.caption }}{{ "," if not loop.last }}</li>{% endfor %}</ul>{% endif %}
    </li>
  {%- if loop.last %}</ul>{% endif %}
  {%- else %}<em>no nav</em>
  {%- endfor %}
</nav>''',
'macros.html': '''{% macro field(name, value='', type='text', label=none, errors=[]) -%}
<div class="field{{ ' error' if errors }}">
  {%- if label %}<label for="f-{{ name }}">{{ label }}</label>{% endif %}
  <input id="f-{{ name }}" type="{{ type }}" name="{{ name }}" value="{{ value }}"{{ kwargs|xmlattr }}>
  {%- for e in errors %}<span class="err">{{ e }}</span>{% endfor %}
</div>
{%- endmacro %}
{% macro card(title, cls='card') -%}
<section class="{{ cls }}"><h3>{{ title|title }}</h3>{{ caller() if caller else '' }}</section>
{%- endmacro %}
{% macro table(rows, cols) -%}
<table>
<tr>{% for c in cols %}<th>{{ c|capitalize }}</th>{% endfor %}</tr>
{%- for r in rows %}
<tr class="{{ loop.cycle('a', 'b') }}">{% for c in cols %}<td>{{ caller(r, c) if caller else r[c] }}</td>{% endfor %}</tr>
{%- else %}
<tr><td colspan="{{ cols|length }}">empty</td></tr>
{%- endfor %}
</table>
{%- endmacro %}
{% macro user_badge() %}{{ user.name if user else 'anon' }}{% endmacro %}''',
'post_item.html': '''<article id="post-{{ post.id }}">
  <h2>{{ loop.index }}/{{ loop.length }} {{ post.title|truncate(24) }}</h2>
  <p>{{ post.body|striptags|truncate(40, true) }}</p>
  <small>{{ post.tags|join(', ') or 'untagged' }} &middot; {{ post.date }}</small>
</article>
''',
'blog.html': '''{% extends "layout.html" %}
{% import "macros.html" as m %}
{% block title %}Blog &ndash; {{ super() }}{% endblock %}
{% block body_class %}{{ super() }} blog{% endblock %}
{% block content %}
<h1>{{ heading|default('Posts') }}</h1>
{% for post in posts|sort(attribute='date', reverse=true) %}
{% if loop.changed(post.date[:7]) %}<h4>{{ post.date[:7] }}</h4>{% endif %}
{% include "post_item.html" %}
{% else %}
<p>No posts yet.</p>
{% endfor %}
{% call m.card('sidebar <tags>') %}
<ul>{%- for tag in posts|map(attribute='tags')|sum(start=[])|unique|sort %}<li>{{ tag }}</li>{% endfor %}</ul>
{% endcall %}
{{ m.user_badge() }}
{% endblock %}
''',
'form.html': '''{% extends "layout.html" %}
{% from "macros.html" import field, card, user_badge with context %}
{% block head %}{{ super() }}<script>var q = {{ query|tojson }};</script>{% endblock %}
{% block content %}
<form method="post">
{{ field('name', form.name, label='Your name', errors=form.errors.name|default([]), required=true) }}
{{ field('email', form.email, type='email', placeholder='you@example.com') }}
{{ field('age', form.age|default(''), type='number', min=0, max=130) }}
{% call card('notes') %}<textarea>{{ form.notes }}</textarea>{% endcall %}
<p>{{ user_badge() }}</p>
</form>
{% endblock %}
''',
'report.html': '''{% extends "layout.html" %}
{% import "macros.html" as m with context %}
{% block content %}
{% set total = namespace(v=0) %}
{% call(r, c) m.table(rows, ['item', 'qty', 'price']) -%}
{% if c == 'price' %}{{ '%.2f'|format(r[c]) }}{% set total.v = total.v + r.qty * r.price %}{% else %}{{ r[c] }}{% endif %}
{%- endcall %}
<p>Total: {{ '%.2f'|format(total.v) }} ({{ rows|sum(attribute='qty') }} items, max {{ rows|max(attribute='price')|attr('item') if rows else '-' }})</p>
{{ m.table(rows|selectattr('qty', 'gt', 1)|list, ['item']) }}
{{ m.user_badge() }}
{% endblock %}
{% block footer %}{{ super() }}<!-- {{ rows|length }} rows -->{% endblock %}
''',
'error.html': '''{% extends "layout.html" %}
{% block title %}{{ code }} {{ super() }}{% endblock %}
{% block flash %}{% endblock %}
{% block content %}<h1>{{ code }}</h1><p>{{ message|default('Something went wrong') }}</p>{% endblock %}
''',
}
CTX = {
    'site': {'name': 'Tom & Jerry\'s <Blog>', 'year': 2024},
    'nav': [{'href': '/', 'caption': 'Home'}, {'href': '/blog', 'caption': 'Blog & News', 'children': [{'caption': '2024'}, {'caption': '<old>'}]},
            {'href': '/about', 'caption': 'About', 'title': 'About "us"'}],
    'active': '/blog', 'user': {'name': 'Ann <admin>'}, 'messages': [['info', 'Saved & done'], ['warn', '<b>careful</b>']],
    'posts': [
        {'id': 1, 'title': 'Hello world, a long first post title', 'body': '<p>Hi <b>there</b> &amp; welcome to this blog of mine</p>', 'tags': ['intro', 'meta'], 'date': '2024-01-05'},
        {'id': 2, 'title': 'Second', 'body': 'plain', 'tags': [], 'date': '2024-01-20'},
        {'id': 3, 'title': 'Ünïcödé ☃', 'body': 'x < y', 'tags': ['meta', 'unicode'], 'date': '2024-03-01'}],
    'form': {'name': 'O\'Brien', 'email': '', 'notes': '</textarea><script>', 'errors': {'name': ['too short', 'has <quote>']}},
    'query': {'q': '<x>', 'page': 2, 'f': 1.5, 'ok': True, 'none': None},
    'rows': [{'item': 'apple', 'qty': 3, 'price': 0.5}, {'item': 'pear & co', 'qty': 1, 'price': 1.25}, {'item': 'fig', 'qty': 12, 'price': 0.1}],
    'code': 404,
}
EMPTY = {'site': {'name': 'S', 'year': 1}, 'nav': [], 'posts': [], 'rows': [], 'form': {}, 'messages': []}

cases = []
for entry in ['blog.html', 'form.html', 'report.html', 'error.html', 'nav.html', 'layout.html']:
    for ctx in (CTX, EMPTY):
        for o in (dict(), dict(autoescape=True), dict(trim_blocks=True, lstrip_blocks=True),
                  dict(autoescape=True, trim_blocks=True, lstrip_blocks=True), dict(keep_trailing_newline=True),
                  dict(autoescape=True, undefined='strict')):
            c = mk(dict(SITE), ctx=ctx, **o); c['entry'] = entry
            cases.append(c)
check(cases, 'c13_d5 pages')
