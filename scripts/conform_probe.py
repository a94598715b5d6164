#!/usr/bin/env python3
"""Differential probe: render templates with Python Jinja2 (through
fixtures/conformance/generate.py's render) and with `jinjac render` invoked exactly as
conform.py does, and print every difference (output, error class, then error message).

Use from a probe script:
    import sys; sys.path.insert(0, 'scripts'); from conform_probe import mk, check
    check([mk('{{ x|upper }}', ctx={'x': 'a'}, autoescape=True)], 'label')
`mk(template_or_dict_of_templates, ctx=None, **options)` builds a case ('main' is the entry;
ctx defaults to the context of the shared conformance cases); `check(cases, label)` prints
diffs and a count to stderr. Outputs naming an object address (generators), also once
upper-cased, reversed or split into characters by later filters, are skipped.
Env: JBIN (binary, default target/release/jinjac), CHECK_LINES=1 to compare error lines,
DUMP=FILE to append every differing case whole (a JSON line) to FILE.
"""
import json, os, sys, subprocess, tempfile, concurrent.futures as cf
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'fixtures', 'conformance'))
import generate
BIN = os.environ.get('JBIN', os.path.join(ROOT, 'target', 'release', 'jinjac'))
CHECK_LINES = os.environ.get('CHECK_LINES') == '1'
_VISIBLE = os.path.join(ROOT, '..', 'shared', 'conformance', 'visible.jsonl')
CTX = json.loads(open(_VISIBLE).readline())['context'] if os.path.exists(_VISIBLE) else {}
D = generate.OPTION_DEFAULTS

def mk(t, ctx=None, **opts):
    if isinstance(t, str): t = {'main': t}
    return {'templates': t, 'entry': 'main', 'context': CTX if ctx is None else ctx, 'options': dict(D, **opts)}

def run_bin(case):
    with tempfile.TemporaryDirectory() as d:
        tdir = os.path.join(d, 't')
        for name, src in case['templates'].items():
            p = os.path.join(tdir, name); os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, 'w', encoding='utf-8', newline='') as f: f.write(src)
        ctx = os.path.join(d, 'ctx.json')
        with open(ctx, 'w') as f: json.dump(case.get('context', {}), f)
        o = case['options']
        args = [BIN, 'render', case.get('entry', 'main'), '-t', tdir, '-c', ctx]
        args.append('--autoescape' if o.get('autoescape') else '--no-autoescape')
        if o.get('trim_blocks'): args.append('--trim-blocks')
        if o.get('lstrip_blocks'): args.append('--lstrip-blocks')
        if o.get('keep_trailing_newline'): args.append('--keep-trailing-newline')
        if o.get('undefined', 'default') != 'default': args += ['--undefined', o['undefined']]
        try:
            r = subprocess.run(args, capture_output=True, timeout=10, cwd=d)
        except subprocess.TimeoutExpired:
            return ('timeout', '')
        return (r.returncode, r.stdout.decode('utf-8', 'replace'), r.stderr.decode('utf-8', 'replace'))

import html
import re
# an object address, also when later filters upper-cased, reversed or split it into characters
_ADDR = re.compile(r'0x[0-9a-f]{8,}|[0-9a-f]{8,}x0')


def compare(case):
    import copy
    got = run_bin(case)
    exp = generate.render(copy.deepcopy(case))
    if got[0] == 'timeout': return 'TIMEOUT'
    rc, out, err = got
    if 'output' in exp:
        if ' at 0x' in exp['output'] or _ADDR.search(re.sub(r'[^0-9a-zA-Z]', '', html.unescape(exp['output'])).lower()): return None
        if rc != 0: return f'expected {exp["output"][:150]!r}, got exit {rc}: {err[:300]}'
        if out != exp['output']: return f'expected {exp["output"][:300]!r}\n      got {out[:300]!r}'
        return None
    if rc == 0: return f'expected {exp["error"]}: {exp.get("message","")[:150]}, got output {out[:150]!r}'
    if rc != 1: return f'expected exit 1 ({exp["error"]}), got {rc}: {err[:200]}'
    if 'python_error' in exp: 
        return None
    if exp['error'] not in err: return f'expected {exp["error"]} {exp.get("message","")[:150]!r}, got {err[:200]!r}'
    # message check (soft)
    pass
    if 'lineno' in exp and 'template' in exp:
        m = re.search(r'--> ([^:\s]+):(\d+)', err)
        if m and (m.group(1), int(m.group(2))) != (exp['template'], exp['lineno']):
            if CHECK_LINES: return f'LOC expected {exp["template"]}:{exp["lineno"]} ({exp["error"]}: {exp.get("message","")[:100]}), got {m.group(1)}:{m.group(2)}'
    msg = str(exp.get("message") or "")
    if msg and msg not in err: return f'MSG expected {exp["error"]}: {msg[:200]!r}\n      got {err.splitlines()[0][:300] if err else err!r}'
    return None

def check(cases, label=''):
    n = 0; bad = 0
    with cf.ThreadPoolExecutor(3) as ex:
        for case, why in zip(cases, ex.map(compare, cases)):
            n += 1
            if why:
                bad += 1
                if os.environ.get('DUMP'):
                    with open(os.environ['DUMP'], 'a') as f: f.write(json.dumps(case, ensure_ascii=False) + '\n')
                print(f'--- {json.dumps(case["templates"], ensure_ascii=False)[:400]} {json.dumps({k:v for k,v in case["options"].items() if D.get(k)!=v})}\n    {why}')
    print(f'== {label}: {n} probes, {bad} diffs', file=sys.stderr)
