#!/usr/bin/env python3
"""Differential sweep over minijinja's template tests, mapped to cases the way
shared/conformance/visible.jsonl maps them: a file `<context>\n---\n<template>` is one case
(`minijinja/inputs/<file>`, autoescape on for `.html`), and each line of its template is a
case of its own (`#L<line>`), so a file that Jinja2 rejects as a whole still has every line
compared. Sources, read locally (nothing is fetched at run time):
  - the whole-file minijinja cases of visible.jsonl (their full template and context);
  - every `*.txt`/`*.html` file in the directory given as argument (default
    /tmp/c11_mj), copied by hand from the public repo mitsuhiko/minijinja
    (minijinja/tests/inputs/); `refs/` beside them holds the templates they load.
The context is JSON or YAML (older files). Prints each difference (scripts/conform_probe.py).

Usage: python3 scripts/sweep_minijinja.py [DIR] [--only SUBSTR]
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import mk, check, D, ROOT

def load_ctx(text):
    text = text.strip()
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        import yaml
        return yaml.safe_load(text) or {}

def cases_for(name, ctx, tmpl, refs):
    opts = {'autoescape': name.endswith('.html')}
    settings = ctx.pop('$settings', None) if isinstance(ctx, dict) else None
    for k, v in (settings or {}).items():
        if k in D:
            opts[k] = v
    out = []
    templates = dict(refs); templates[name] = tmpl
    c = mk(templates, ctx=ctx, **opts); c['entry'] = name; c['id'] = f'minijinja/inputs/{name}'
    out.append(c)
    for i, line in enumerate(tmpl.split('\n'), 1):
        if '{{' not in line and '{%' not in line:
            continue
        t = dict(refs); t[name] = line
        c = mk(t, ctx=ctx, **opts); c['entry'] = name; c['id'] = f'minijinja/inputs/{name}#L{i}'
        out.append(c)
    return out

def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    only = sys.argv[sys.argv.index('--only') + 1] if '--only' in sys.argv else None
    if only in args: args.remove(only)
    d = args[0] if args else '/tmp/c11_mj'
    refs = {}
    rdir = os.path.join(d, 'refs')
    if os.path.isdir(rdir):
        for f in sorted(os.listdir(rdir)):
            refs[f] = open(os.path.join(rdir, f), encoding='utf-8').read()
    cases = []
    seen = set()
    vis = os.path.join(ROOT, '..', 'shared', 'conformance', 'visible.jsonl')
    if os.path.exists(vis):
        for l in open(vis):
            c = json.loads(l)
            if c['id'].startswith('minijinja/') and '#' not in c['id']:
                name = c['entry']
                seen.add(name)
                r = {k: v for k, v in c['templates'].items() if k != name}
                r.update({k: v for k, v in refs.items() if k not in r})
                for x in cases_for(name, c['context'], c['templates'][name], r):
                    x['options'] = dict(c['options'])
                    cases.append(x)
    if os.path.isdir(d):
        for f in sorted(os.listdir(d)):
            p = os.path.join(d, f)
            if f in seen or not os.path.isfile(p):
                continue
            text = open(p, encoding='utf-8').read()
            if '\n---\n' not in text:
                continue
            ctx, tmpl = text.split('\n---\n', 1)
            cases.extend(cases_for(f, load_ctx(ctx), tmpl, refs))
    if only:
        cases = [c for c in cases if only in c['id']]
    for c in cases:
        c['label'] = c['id']
    check(cases, f'minijinja sweep ({d})')

if __name__ == '__main__':
    main()
