#!/usr/bin/env python3
"""Options-and-context sweep over every case of shared/conformance/visible.jsonl (all 789,
including the jinja/* and minijinja/* cases with their own contexts), rendered with Python
Jinja2 3.1.6 (fixtures/conformance/generate.py's render) and with `jinjac render` invoked as
conform.py does; prints every difference and the mutant/difference counts per area.

Mode `options`: the full product trim_blocks x lstrip_blocks x keep_trailing_newline x
autoescape x undefined kind (8 x 2 x 4 = 64 variants per case). Variants that cannot differ are
deduplicated: trim/lstrip only vary when a template has a `{%`/`{#` tag, keep_trailing_newline
only when a template ends with a newline.
Mode `context` (and `context-x`, the same under autoescape flipped and under each other
undefined kind): every top-level context value the case's templates name (as a word) replaced in
turn by values of other types (ints, floats incl. -0.0 and 1e16, bools, None, strings with HTML
specials or non-ASCII, lists, dicts, a list of dicts with shared keys), and each removed
(undefined), under the case's own options.

Mode `nested`: the same replacement values one level down: each value of a named dict, each
item of a named list, and each field (one at a time, in every item) of a named list of dicts.

Outputs are compared byte for byte; errors by class (conform.py's rule; a case where Jinja2
let a plain Python error escape accepts any template error). Outputs naming an object address
are skipped. jinjac runs 2 at a time (shared cores).

Usage: python3 scripts/sweep_options_context.py options|context|context-x|nested [--only AREA] [--shard K/N]
       [--dump FILE] [--cases FILE.jsonl]   (--dump: each differing mutant as a JSON line;
       --cases: sweep another case file, e.g. fixtures/conformance/regressions.jsonl)
"""
import concurrent.futures as cf
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'fixtures', 'conformance'))
import generate  # noqa: E402

BIN = os.environ.get('JBIN', os.path.join(ROOT, 'target', 'release', 'jinjac'))
VISIBLE = os.path.join(ROOT, '..', 'shared', 'conformance', 'visible.jsonl')
if not os.path.exists(VISIBLE):
    VISIBLE = '/work/shared/conformance/visible.jsonl'
UNDEF = ['default', 'strict', 'chainable', 'debug']
VALUES = [
    ('int', 7), ('negint', -3), ('float', 2.5), ('negzero', -0.0), ('bigfloat', 1e16),
    ('true', True), ('false', False), ('none', None), ('empty', ''), ('html', '<a href="x">&\'</a>'),
    ('unicode', 'Ünï©ødé ß'), ('emptylist', []), ('list', [1, 'a', None]), ('emptydict', {}),
    ('dict', {'a': 1, 'b': [2]}), ('dicts', [{'name': 'b', 'age': 2}, {'name': 'a', 'age': 1}]),
]
_ADDR = re.compile(r'0x[0-9a-f]{8,}|[0-9a-f]{8,}x0')
_TMP = tempfile.mkdtemp(prefix='sweep15.')
_DIRS = {}


def tdir(case):
    key = hashlib.sha1(json.dumps(case['templates'], sort_keys=True).encode()).hexdigest()
    d = _DIRS.get(key)
    if d is None:
        d = os.path.join(_TMP, key)
        for name, src in case['templates'].items():
            p = os.path.join(d, 't', name)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'w', encoding='utf-8', newline='') as f:
                f.write(src)
        _DIRS[key] = d
    return d


def run_bin(case, ctxfile):
    d = tdir(case)
    o = case['options']
    args = [BIN, 'render', case.get('entry', 'main'), '-t', os.path.join(d, 't'), '-c', ctxfile]
    args.append('--autoescape' if o.get('autoescape') else '--no-autoescape')
    if o.get('trim_blocks'):
        args.append('--trim-blocks')
    if o.get('lstrip_blocks'):
        args.append('--lstrip-blocks')
    if o.get('keep_trailing_newline'):
        args.append('--keep-trailing-newline')
    if o.get('undefined', 'default') != 'default':
        args += ['--undefined', o['undefined']]
    try:
        r = subprocess.run(args, capture_output=True, timeout=10, cwd=d)
    except subprocess.TimeoutExpired:
        return None
    return r.returncode, r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace')


def compare(item):
    case, ctxfile = item
    exp = generate.render(copy.deepcopy(case))
    if 'output' in exp and (' at 0x' in exp['output'] or _ADDR.search(
            re.sub(r'[^0-9a-zA-Z]', '', exp['output']).lower())):
        return None
    got = run_bin(case, ctxfile)
    if got is None:
        return 'TIMEOUT'
    rc, out, err = got
    if 'output' in exp:
        if rc != 0:
            return f'expected {exp["output"][:200]!r}, got exit {rc}: {err[:300]}'
        if out != exp['output']:
            return f'expected {exp["output"][:300]!r}\n      got {out[:300]!r}'
        return None
    if rc == 0:
        return f'expected {exp["error"]}: {exp.get("message", "")[:200]}, got output {out[:200]!r}'
    if rc != 1:
        return f'expected exit 1 ({exp["error"]}), got {rc}: {err[:200]}'
    if 'python_error' in exp or exp['error'] in err:
        return None
    return f'expected {exp["error"]} {exp.get("message", "")[:200]!r}, got {err[:200]!r}'


def option_mutants(case):
    srcs = case['templates'].values()
    tags = any('{%' in s or '{#' in s for s in srcs)
    nl = any(s.endswith(('\n', '\r')) for s in srcs)
    out = []
    for tb in ([False, True] if tags else [False]):
        for lb in ([False, True] if tags else [False]):
            for ktn in ([False, True] if nl else [False]):
                for ae in (False, True):
                    for und in UNDEF:
                        o = dict(case['options'], trim_blocks=tb, lstrip_blocks=lb,
                                 keep_trailing_newline=ktn, autoescape=ae, undefined=und)
                        if o == case['options']:
                            continue
                        tag = f'tb={int(tb)},lb={int(lb)},ktn={int(ktn)},ae={int(ae)},u={und}'
                        out.append(dict(case, options=o, id=f'{case["id"]}:{tag}'))
    return out


def context_mutants(case):
    srcs = '\n'.join(case['templates'].values())
    out = []
    for key in case['context']:
        if not re.search(r'(?<![\w.])%s(?!\w)' % re.escape(key), srcs):
            continue
        for name, val in VALUES:
            if type(case['context'][key]) is type(val) and case['context'][key] == val:
                continue
            ctx = dict(case['context'])
            ctx[key] = copy.deepcopy(val)
            out.append(dict(case, context=ctx, id=f'{case["id"]}:{key}={name}'))
        ctx = dict(case['context'])
        del ctx[key]
        out.append(dict(case, context=ctx, id=f'{case["id"]}:{key}=<removed>'))
    return out


def context_x_mutants(case):
    out = []
    for m in context_mutants(case):
        o = m['options']
        out.append(dict(m, options=dict(o, autoescape=not o['autoescape']), id=m['id'] + ':ae'))
        for und in UNDEF:
            if und != o['undefined']:
                out.append(dict(m, options=dict(o, undefined=und), id=f'{m["id"]}:u={und}'))
    return out


def nested_mutants(case):
    srcs = '\n'.join(case['templates'].values())
    out = []
    for key, top in case['context'].items():
        if not re.search(r'(?<![\w.])%s(?!\w)' % re.escape(key), srcs):
            continue
        slots = []  # (label, function making the mutated top-level value)
        if isinstance(top, dict):
            for k in top:
                slots.append((k, lambda v, k=k: dict(top, **{k: v})))
        elif isinstance(top, list):
            for i in range(len(top)):
                slots.append((str(i), lambda v, i=i: top[:i] + [v] + top[i + 1:]))
            fields = {k for it in top if isinstance(it, dict) for k in it}
            for k in sorted(fields):
                slots.append(('*.' + k, lambda v, k=k: [dict(it, **{k: v}) if isinstance(it, dict)
                                                         else it for it in top]))
        for label, make in slots:
            for name, val in VALUES:
                ctx = dict(case['context'])
                ctx[key] = copy.deepcopy(make(copy.deepcopy(val)))
                out.append(dict(case, context=ctx, id=f'{case["id"]}:{key}.{label}={name}'))
    return out


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else 'options'
    only = sys.argv[sys.argv.index('--only') + 1] if '--only' in sys.argv else None
    shard = sys.argv[sys.argv.index('--shard') + 1] if '--shard' in sys.argv else None
    dump = sys.argv[sys.argv.index('--dump') + 1] if '--dump' in sys.argv else None
    src = sys.argv[sys.argv.index('--cases') + 1] if '--cases' in sys.argv else VISIBLE
    cases = [json.loads(line) for line in open(src, encoding='utf-8') if line.strip()]
    # (the CLI has no extensions option: cases needing one cannot be run the same way)
    cases = [c for c in cases if not c.get('options', {}).get('extensions')]
    if only:
        cases = [c for c in cases if only in (c['area'], c.get('topic'))]
    if shard:
        k, n = map(int, shard.split('/'))
        cases = cases[k::n]
    gen = {'options': option_mutants, 'context': context_mutants, 'context-x': context_x_mutants,
           'nested': nested_mutants}[mode]
    items = []
    for c in cases:
        c['options'] = dict(generate.OPTION_DEFAULTS, **c.get('options', {}))
        for m in gen(c):
            ctxfile = os.path.join(_TMP, 'ctx-%s.json' % hashlib.sha1(
                json.dumps(m['context']).encode()).hexdigest())
            if not os.path.exists(ctxfile):
                with open(ctxfile, 'w') as f:
                    json.dump(m['context'], f)
            items.append((m, ctxfile))
    print(f'{len(items)} {mode} mutants of {len(cases)} cases', file=sys.stderr)
    per_area, diffs = Counter(), Counter()
    try:
        with cf.ThreadPoolExecutor(2) as ex:
            for (m, _), why in zip(items, ex.map(compare, items, chunksize=16)):
                area = m.get('topic') or m['area']
                per_area[area] += 1
                if why:
                    diffs[area] += 1
                    print(f'--- {m["id"]} {json.dumps(m["templates"], ensure_ascii=False)[:300]}\n'
                          f'    ctx-ish {json.dumps(m["context"], ensure_ascii=False)[:200]}\n    {why}',
                          flush=True)
                    if dump:
                        with open(dump, 'a') as f:
                            f.write(json.dumps(m, ensure_ascii=False) + '\n')
    finally:
        shutil.rmtree(_TMP, ignore_errors=True)
    for area in sorted(per_area):
        print(f'{area:12} {per_area[area]:6} mutants {diffs[area]:5} diffs', file=sys.stderr)
    print(f'TOTAL {sum(per_area.values())} mutants, {sum(diffs.values())} diffs', file=sys.stderr)


if __name__ == '__main__':
    main()
