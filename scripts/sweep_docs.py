#!/usr/bin/env python3
"""Differential sweep over the template examples of Jinja2's own documentation: every
`code-block`/`sourcecode` block and `::` literal block of docs/*.rst and of the docstrings of
src/jinja2/{filters,tests,utils,ext}.py that holds template syntax, and every inline
``...`` example of templates.rst and the filter/test docstrings (those holding `{{`/`{%`
as they are, the others wrapped in `{{ }}` as an expression). Each example is rendered
whole and line by line, under three contexts (the one the prose describes: users with
username/realname/email, navigation items, a sitemap, entries with categories, ...; the
shared conformance context; an empty one), with autoescape off and on and with
trim_blocks+lstrip_blocks, and with the sibling templates the docs show (base.html,
forms.html, parent.tmpl, layout.txt, ...). Blocks that list several templates under
`# name` headings become those templates. Reads the unpacked 3.1.6 sdist (nothing is fetched
at run time) and prints each difference (scripts/conform_probe.py).

Usage: python3 scripts/sweep_docs.py /path/to/jinja2-3.1.6 [--only SUBSTR] [--quick] [--undefined]
(--undefined: the doc and empty contexts under strict, chainable and debug undefined instead)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import CTX, check, mk  # noqa: E402

DOC_FILES = ['docs/templates.rst', 'docs/tricks.rst', 'docs/faq.rst', 'docs/api.rst',
             'docs/switching.rst', 'docs/extensions.rst', 'docs/sandbox.rst',
             'docs/nativetypes.rst', 'src/jinja2/filters.py', 'src/jinja2/tests.py',
             'src/jinja2/utils.py', 'src/jinja2/ext.py', 'src/jinja2/defaults.py']
SKIP_LANGS = {'python', 'pycon', 'ini', 'django', 'mako', 'pycon3', 'console', 'sh', 'bash'}

USERS = [
    {'username': 'alice', 'realname': 'Alice <Liddell>', 'description': '<em>curious</em>',
     'email': 'a@x.org', 'hidden': False, 'is_active': True, 'name': 'Alice', 'age': 31,
     'city': 'Oslo', 'user_id': 3},
    {'username': 'bob & co', 'realname': 'Bob', 'description': 'builder', 'email': None,
     'hidden': True, 'is_active': False, 'name': 'bob', 'age': 25, 'city': 'Rome',
     'user_id': 4},
    {'username': 'Cid', 'realname': "C'id", 'description': '', 'email': 'c@x.org',
     'hidden': False, 'is_active': True, 'name': 'Cid', 'age': 31, 'city': 'oslo',
     'user_id': 7},
]
DOC_CTX = {
    'navigation': [{'href': '/', 'caption': 'Home'}, {'href': '/a?b=1&c=2', 'caption': 'A & B'}],
    'a_variable': '<hello>', 'foo': {'bar': 'baz', 'attribute': False}, 'users': USERS,
    'user': USERS[0], 'list_of_user': USERS, 'seq': [1, 2, 3], 'something': True,
    'my_dict': {'b': 2, 'a': '<1>', 'C': 3}, 'mydict': {'b': 2, 'a': 1, 'C': 3},
    'rows': ['r1', 'r2', 'r3'],
    'sitemap': [{'href': '/', 'title': 'Index', 'children': [
        {'href': '/a', 'title': 'A', 'children': []},
        {'href': '/b&c', 'title': 'B', 'children': [{'href': '/b/1', 'title': 'B1'}]}]},
        {'href': '/about', 'title': 'About'}],
    'values': [1, 3, 2, 2, 5], 'entries': [
        {'category': 'news', 'message': 'm1'}, {'category': 'news', 'message': 'm2'},
        {'category': 'misc', 'message': '<m3>'}, {'category': 'news', 'message': 'm4'}],
    'kenny': {'sick': False, 'dead': True},
    'items': [{'title': 'T1', 'price': 3, 'name': 'i1'}, {'title': 'T2', 'price': 4.5, 'name': 'i2'}],
    'message': 'a long message ' * 10, 'boxes': [{'title': 'b1'}, {'title': 'b2'}],
    'page': {'title': 'my page'}, 'name': 'World', 'greeting': 'Hello',
    'folders': ['f1', 'f2'], 'files': ['x.txt', 'y.txt', 'z.txt'],
    'categories': ['a', 'b'], 'can_edit': True, 'table': [[1, 2], [3, 4]],
    'cities': ['Oslo', 'rome', 'Athens'], 'data': [{'name': 'Jinja'}, {'name': 'Flask'}],
    'variable': 7, 'titles': ['One', 'TWO'], 'numbers': [1, 2, 3, 4, 5, 6, 42, 43],
    'strings': ['mystring', 'other'], 'standalone': True, 'value': 'Value <v>',
    'active_page': 'downloads', 'layout': 'layout.html', 'listx': ['x', 'y'],
    'input': {'name': 'in'}, 'post': {'title': 'P'}, 'apples': [1, 2],
    'book': {'title': 'B'}, 'author': {'name': 'A'}, 'list': [1], 'number': 3,
}

BASE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
    {% block head %}
    <link rel="stylesheet" href="style.css" />
    <title>{% block title %}{% endblock %} - My Webpage</title>
    {% endblock %}
</head>
<body>
    <div id="content">{% block content %}{% endblock %}</div>
    <div id="footer">
        {% block footer %}
        &copy; Copyright 2008 by <a href="http://domain.invalid/">you</a>.
        {% endblock %}
    </div>
</body>
</html>
"""
FORMS_HTML = """{% macro input(name, value='', type='text') -%}
    <input type="{{ type }}" value="{{ value|e }}" name="{{ name }}">
{%- endmacro %}

{%- macro textarea(name, value='', rows=10, cols=40) -%}
    <textarea name="{{ name }}" rows="{{ rows }}" cols="{{ cols
        }}">{{ value|e }}</textarea>
{%- endmacro %}
"""
SIBLINGS = {
    'base.html': BASE_HTML,
    'layout.html': BASE_HTML.replace('{% block content %}', '{% block body %}{% block content %}').replace(
        '{% endblock %}</div>\n    <div id="footer">', '{% endblock %}{% endblock %}</div>\n    <div id="footer">'),
    'default.html': '<default>{% block title %}T{% endblock %}|{% block body %}{% endblock %}</default>\n',
    'layout/default.html': '[{% block content %}{% endblock %}]',
    'forms.html': FORMS_HTML,
    'header.html': '<header>{{ page.title|default("no title") }} {{ user.username }}</header>\n',
    'footer.html': '<footer>&copy; {{ year|default(2024) }}</footer>\n',
    'sidebar.html': '<aside>{% for i in navigation %}{{ i.caption }};{% endfor %}</aside>',
    'page.html': '<p>{{ page.title }}</p>', 'render_box.html': '<div>{{ box.title }} {{ loop.index }}</div>\n',
    'parent.tmpl': 'body: {% block body %}Hi from parent.{% endblock %}\n',
    'child.tmpl': '{% extends "parent.tmpl" %}\n{% block body %}Hi from child. {{ super() }}{% endblock %}\n',
    'layout.txt': '\n{% macro foo() %}LAYOUT{% endmacro %}\n{% block body %}{% endblock %}\n',
    'page.txt': '\n{% block body required %}{% endblock %}\n',
    'issue.txt': '\n{% extends "page.txt" %}\n',
}


def extract_blocks(root):
    """(file, line, lang, text) of every directive/literal block holding template syntax."""
    out = []
    for rel in DOC_FILES:
        path = os.path.join(root, rel)
        if not os.path.exists(path):
            continue
        lines = open(path, encoding='utf-8').read().split('\n')
        i = 0
        while i < len(lines):
            m = re.match(r'^(\s*)\.\. (?:code-block|sourcecode)::\s*(\S+)', lines[i])
            m2 = None if m else re.match(r'^(\s*)(?!\.\. )\S.*::$', lines[i])
            if not (m or m2):
                i += 1
                continue
            ind = len((m or m2).group(1))
            lang = m.group(2) if m else 'literal'
            j = i + 1
            body = []
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > ind):
                body.append(lines[j])
                j += 1
            body = [b for b in body if not re.match(r'\s*:\w+:', b)]
            while body and not body[-1].strip():
                body.pop()
            while body and not body[0].strip():
                body.pop(0)
            if body and lang not in SKIP_LANGS:
                bi = min(len(b) - len(b.lstrip()) for b in body if b.strip())
                text = '\n'.join(b[bi:] for b in body)
                if '{{' in text or '{%' in text or '{#' in text:
                    out.append((rel, i + 1, lang, text))
            i = j
    return out


def extract_inline(root):
    out = []
    for rel in ['docs/templates.rst', 'docs/tricks.rst', 'docs/switching.rst',
                'src/jinja2/filters.py', 'src/jinja2/tests.py']:
        s = open(os.path.join(root, rel), encoding='utf-8').read()
        for m in re.finditer(r'``(.+?)``', s, re.S):
            t = m.group(1).replace('\n', ' ')
            if '...' in t:
                continue
            if '{{' in t or '{%' in t or '{#' in t:
                out.append((rel, t))
            elif not re.match(r'^[\w.]+\(?$', t) or '.' in t or t.isdigit():
                out.append((rel, '{{ ' + t + ' }}'))
    return sorted(set(out))


def split_named(text):
    """A block listing `# name.tmpl` sections -> {name: source}."""
    parts = re.split(r'^# (\S+\.(?:tmpl|html|txt))\n', text, flags=re.M)
    if len(parts) < 3:
        return None
    return {parts[k]: parts[k + 1].rstrip('\n') + '\n' for k in range(1, len(parts) - 1, 2)}


def variants(label, templates, entry):
    ctxs = [('doc', DOC_CTX), ('shared', CTX), ('empty', {})]
    opts = [dict(autoescape=False), dict(autoescape=True), dict(trim_blocks=True, lstrip_blocks=True)]
    if UNDEFINED_KINDS:
        ctxs = ctxs[::2]
        opts = [dict(undefined=u) for u in ('strict', 'chainable', 'debug')]
    for cn, ctx in ctxs:
        for o in opts:
            t = {entry: templates[entry]}
            t.update(templates)
            for k, v in SIBLINGS.items():
                t.setdefault(k, v)
            c = mk(t, ctx=ctx, **o)
            c['entry'] = entry
            c['id'] = f'{label}[{cn}]{o}'
            yield c


UNDEFINED_KINDS = '--undefined' in sys.argv


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    only = sys.argv[sys.argv.index('--only') + 1] if '--only' in sys.argv else None
    if only in args:
        args.remove(only)
    root = args[0] if args else '/tmp/c11_j2/jinja2-3.1.6'
    cases = []
    for rel, line, lang, text in extract_blocks(root):
        label = f'{rel}:{line}'
        named = split_named(text)
        if named:
            for entry in named:
                cases += variants(f'{label}:{entry}', named, entry)
            continue
        cases += variants(label, {'main': text + '\n'}, 'main')
        lines = text.split('\n')
        if len(lines) > 1:
            for k, ln in enumerate(lines, 1):
                if '{{' in ln or '{%' in ln:
                    cases += variants(f'{label}#L{k}', {'main': ln}, 'main')
    for rel, t in extract_inline(root):
        cases += variants(f'{rel}:inline', {'main': t}, 'main')
    if only:
        cases = [c for c in cases if only in c['id'] or only in c['templates'].get(c['entry'], '')]
    if '--quick' in sys.argv:
        cases = cases[::3]
    print(f'{len(cases)} cases', file=sys.stderr)
    check(cases, 'docs')


if __name__ == '__main__':
    main()
