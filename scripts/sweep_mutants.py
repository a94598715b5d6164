#!/usr/bin/env python3
"""Differential sweep of the neighbours of the visible conformance cases: for each ceo/own
case of shared/conformance/visible.jsonl, every variable of the shared context it names
(users, n, f, s, html, empty, d, nested, none, words, big, url, neg) replaced by each other
one, and each case's autoescape flipped and trim_blocks+lstrip_blocks toggled; rendered with
Jinja2 and jinjac (scripts/conform_probe.py), printing the differences. A hidden case "drawn
the same way" is most likely such a neighbour.

Usage: python3 scripts/sweep_mutants.py [--only AREA] [--sample N] [--seed S]
"""
import json
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import ROOT, check  # noqa: E402

NAMES = ['users', 'n', 'f', 's', 'html', 'empty', 'd', 'nested', 'none', 'words', 'big', 'url', 'neg']


def mutants(case):
    src = case['templates'][case['entry']]
    out = []
    ctx = case['context']
    for name in NAMES:
        if name not in ctx and name != 'none':
            continue
        pat = re.compile(r'(?<![\w.\'"])%s(?![\w\'"])' % re.escape(name))
        if not pat.search(src):
            continue
        for other in NAMES:
            if other == name:
                continue
            t = dict(case['templates'])
            t[case['entry']] = pat.sub(other, src)
            out.append(dict(case, templates=t, id=f'{case["id"]}:{name}->{other}'))
    o = dict(case['options'])
    out.append(dict(case, options=dict(o, autoescape=not o.get('autoescape')), id=case['id'] + ':ae'))
    out.append(dict(case, options=dict(o, trim_blocks=not o.get('trim_blocks'), lstrip_blocks=not o.get('lstrip_blocks')),
                    id=case['id'] + ':ws'))
    return out


def main():
    only = sys.argv[sys.argv.index('--only') + 1] if '--only' in sys.argv else None
    sample = int(sys.argv[sys.argv.index('--sample') + 1]) if '--sample' in sys.argv else None
    seed = int(sys.argv[sys.argv.index('--seed') + 1]) if '--seed' in sys.argv else 0
    vis = os.path.join(ROOT, '..', 'shared', 'conformance', 'visible.jsonl')
    cases = []
    for line in open(vis, encoding='utf-8'):
        c = json.loads(line)
        if not c['id'].startswith(('ceo/', 'own/')):
            continue
        if only and c['area'] != only and c.get('topic') != only:
            continue
        cases += mutants(c)
    if sample and sample < len(cases):
        cases = random.Random(seed).sample(cases, sample)
    print(f'{len(cases)} mutants', file=sys.stderr)
    check(cases, 'mutants')


if __name__ == '__main__':
    main()
