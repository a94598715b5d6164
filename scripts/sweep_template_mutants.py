#!/usr/bin/env python3
"""Differential sweep of the TEMPLATE neighbours of the visible conformance cases.

For each case of shared/conformance/visible.jsonl, mutants are made by token-level edits of
its entry template (inside `{{ }}` / `{% %}` only) that keep it likely valid:
  - a filter name replaced by another builtin filter of compatible arity;
  - a test name replaced by another test of the same arity;
  - a binary operator replaced by another (arithmetic, comparison, `~`, `in`, and/or);
  - an int/float/string/none/bool literal replaced by an edge value
    (0, -1, 1.5, '', 'a<b', none, [], {}, ...);
  - a filter's argument list replaced from a table of keyword/positional variants
    (`default(x, true)`, `round(2, 'floor')`, `truncate(5, True, '..', 0)`,
    `indent(2, first=True, blank=True)`, `sort(attribute=..., reverse=true, ...)`,
    `groupby(..., default=...)`, `unique(case_sensitive=...)`, `dictsort(by='value')`, ...),
    or its last argument dropped;
  - a context variable replaced by another of the case's context;
  - a tag delimiter given a whitespace modifier (`{{-`, `-}}`, `{%-`, `-%}`, `{%+`);
plus the case's undefined kind cycled through the four kinds and autoescape flipped (some
template mutants also get a random undefined kind or flipped autoescape). Mutants are
deduplicated, sampled per case, rendered with Jinja2 and jinjac through
scripts/conform_probe.py (output byte for byte; error class, and message when Jinja2's is
a template error), and the differences printed, with mutant/difference counts per area.

Second pass (--errors), meant with --only errors / --only undefined: mutants that fail
instead, each a token deleted or doubled, an end tag swapped, a tag left unclosed, lines
inserted before a fault, a name made undefined (CHECK_LINES=1 also compares the line of
syntax errors).

Usage: python3 scripts/sweep_template_mutants.py [--only AREA] [--per-case N] [--seed S]
           [--dump FILE] [--jobs J] [--errors] [--double]
  --double: each mutant gets a second template edit on top of its first.
  --per-case: mutants kept per visible case (default 30); --dump: every differing mutant as
  a JSON line (case + reason) for minimising.
"""
import collections
import concurrent.futures as cf
import inspect
import json
import os
import random
import re
import sys

import jinja2.filters
import jinja2.tests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conform_probe import ROOT, compare  # noqa: E402

SKIP_FILTERS = {'random'}  # nondeterministic
NONDETERMINISTIC = re.compile(r'\brandom\b|\blipsum\b')
UNDEFINED_KINDS = ['default', 'strict', 'chainable', 'debug']


def arity(fn, skip_first):
    """(required, maximum or None) positional arguments after the value."""
    sig = inspect.signature(fn)
    ps = list(sig.parameters.values())
    if getattr(fn, 'jinja_pass_arg', None) is not None:
        ps = ps[1:]
    ps = ps[skip_first:]
    req = sum(1 for p in ps if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    mx = None if any(p.kind == p.VAR_POSITIONAL for p in ps) else \
        sum(1 for p in ps if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    return req, mx


FILTERS = {n: arity(f, 1) for n, f in jinja2.filters.FILTERS.items() if n not in SKIP_FILTERS}
TESTS = {n: arity(f, 1) for n, f in jinja2.tests.TESTS.items() if re.match(r'^\w+$', n)}

# argument-list variants per filter (replace the existing list, or add one)
ARGS = {
    'default': ["('x', true)", "(none, true)", "('')", "(default_value='z', boolean=true)", "(missing)", "('<b>')"],
    'd': ["('x', true)", "(0)", "(boolean=true)"],
    'round': ["(2, 'floor')", "(0, 'ceil')", "(1)", "(precision=1, method='common')", "(2, 'bad')", "(-1)"],
    'truncate': ["(5, True, '..', 0)", "(5)", "(3, False)", "(length=10, end='!')", "(9, leeway=2)", "(0)",
                 "(4, killwords=true, end='')"],
    'indent': ["(2, first=True, blank=True)", "('> ')", "(width=3)", "(4, true)", "(0, true, true)"],
    'wordwrap': ["(5)", "(10, false)", "(4, true, '|')", "(6, break_on_hyphens=false)", "(3, wrapstring='<br>')",
                 "(1)"],
    'sort': ["(attribute='name', reverse=true, case_sensitive=true)", "(reverse=true)", "(attribute='age')",
             "(true)", "(attribute='name,age')", "(false, true)", "(attribute='missing')"],
    'groupby': ["('name', default='?')", "('age')", "(attribute='name', case_sensitive=true)", "('missing')",
                "(0)"],
    'unique': ["(case_sensitive=true)", "(attribute='name')", "(true, 'age')"],
    'dictsort': ["(by='value')", "(true)", "(false, 'value', true)", "(by='bad')", "(reverse=true)"],
    'join': ["(', ')", "('-', 'name')", "(attribute='name')", "('<>')", "(d='x')"],
    'replace': ["('a', 'b')", "('', '-')", "('a', 'b', 1)", "(old='a', new='b', count=0)", "('o', '<')"],
    'center': ["(9)", "(width=3)", "(0)"],
    'format': ["(1, 2)", "('<')", "(x=1)", "()"],
    'map': ["('upper')", "(attribute='name')", "(attribute='name', default='?')", "('default', 'z')",
            "('length')", "(attribute='0')"],
    'select': ["('odd')", "('gt', 1)", "()", "('defined')", "('equalto', 'a')", "('nope')"],
    'reject': ["('odd')", "('gt', 1)", "()", "('none')", "('in', [1, 2])"],
    'selectattr': ["('name')", "('age', 'gt', 30)", "('name', 'equalto', 'bob')", "('missing')"],
    'rejectattr': ["('name')", "('age', 'gt', 30)", "('missing', 'defined')"],
    'batch': ["(2)", "(3, 'x')", "(0)", "(linecount=2, fill_with=none)"],
    'slice': ["(2)", "(3, 'x')", "(0)", "(slices=4)"],
    'sum': ["(attribute='age')", "(start=10)", "('age', 1)", "(start='')"],
    'min': ["(attribute='age')", "(case_sensitive=true)", "(attribute='name')"],
    'max': ["(attribute='age')", "(case_sensitive=true)", "(attribute='name')"],
    'int': ["(5)", "(base=16)", "('x', 2)", "(0, 8)"],
    'float': ["(1.5)", "(default='x')"],
    'filesizeformat': ["(true)", "(binary=true)"],
    'tojson': ["(indent=2)", "(2)", "(indent='  ')"],
    'urlize': ["(10)", "(5, true)", "(target='_blank')", "(rel='x', extra_schemes=['ftp:'])", "(0)"],
    'xmlattr': ["(false)", "(autospace=true)"],
    'trim': ["('x')", "(chars='ab')", "(none)"],
    'attr': ["('name')", "('upper')", "('missing')"],
    'first': [], 'last': [], 'length': [], 'count': [],
    'urlencode': [], 'string': [], 'list': [], 'items': [],
}
# test argument variants
TEST_ARGS = {
    'divisibleby': ['(3)', ' 0', ' 1.5'], 'sameas': [' none', ' false'], 'in': [' [1, 2]', " 'abc'", ' {}'],
    'eq': [' 1', " 'a'"], 'gt': [' 0', ' 1.5'], 'lt': [' -1'], 'ge': [' none'], 'equalto': [' 2'],
    'defined': [], 'none': [], 'string': [],
}
BINOPS = ['+', '-', '*', '/', '//', '%', '**', '~', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'and', 'or']
LITERALS = ['0', '-1', '1.5', "''", "'a<b'", 'none', '[]', '{}', '2', 'true', "'Ab c'", '-0.0', "'10'"]
TOK = re.compile(r'''(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?P<num>\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)'''
                 r'''|(?P<name>[A-Za-z_]\w*)|(?P<op>\*\*|//|==|!=|<=|>=|[-+*/%~<>|.,()\[\]{}:=!])|(?P<ws>\s+)|(?P<other>.)''',
                 re.S)
REGION = re.compile(r'(\{\{|\{%)([-+]?)(.*?)([-+]?)(\}\}|%\})', re.S)
LOADING = {'include', 'extends', 'import', 'from'}
KEYWORD_AFTER = {'and', 'or', 'else', 'if', 'not', 'is', 'in', 'recursive', 'with', 'without', 'ignore'}


def tokens(src):
    """(kind, text, start, end, region_first_word) for every token inside {{ }} / {% %}."""
    out = []
    for m in REGION.finditer(src):
        body_start = m.start(3)
        toks = []
        for t in TOK.finditer(m.group(3)):
            if t.lastgroup != 'ws':
                toks.append((t.lastgroup, t.group(), body_start + t.start(), body_start + t.end()))
        first = toks[0][1] if toks and toks[0][0] == 'name' else ''
        out.append((m, first, toks))
    return out


def matching(toks, i):
    """index of the ')' matching toks[i] == '(' (or None)."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j][1] in '([{':
            depth += 1
        elif toks[j][1] in ')]}':
            depth -= 1
            if depth == 0:
                return j
    return None


def splice(src, a, b, text):
    return src[:a] + text + src[b:]


def template_mutants(src, rng, names=()):
    muts = []
    for m, first, toks in tokens(src):
        for i, (kind, text, a, b) in enumerate(toks):
            prev = toks[i - 1][1] if i > 0 else None
            prev2 = toks[i - 2][1] if i > 1 else None
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            # filter names
            if kind == 'name' and prev == '|' and text in jinja2.filters.FILTERS:
                if nxt and nxt[1] == '(':
                    j = matching(toks, i + 1)
                    nargs = 0 if j is None or j == i + 2 else 1 + sum(
                        1 for t in toks[i + 2:j] if t[1] == ',')  # rough (nested commas count)
                    end = toks[j][3] if j is not None else b
                else:
                    j, nargs, end = None, 0, b
                compat = [f for f, (req, mx) in FILTERS.items() if f != text and req <= nargs and (mx is None or nargs <= mx)]
                for f in rng.sample(compat, min(6, len(compat))):
                    muts.append(('filter', splice(src, a, b, f)))
                # argument lists
                for args in ARGS.get(text, []):
                    muts.append(('fargs', splice(src, a, end, text + args)))
                if j is not None and nargs > 0:
                    # drop the last argument
                    k = j - 1
                    depth = 0
                    while k > i + 1:
                        t = toks[k][1]
                        if t in ')]}':
                            depth += 1
                        elif t in '([{':
                            depth -= 1
                        elif t == ',' and depth == 0:
                            break
                        k -= 1
                    if k > i + 1:
                        muts.append(('fargs', splice(src, toks[k][2], toks[j][2], '')))
                    else:
                        muts.append(('fargs', splice(src, toks[i + 1][2], toks[j][3], '')))
            # test names
            elif kind == 'name' and (prev == 'is' or (prev == 'not' and prev2 == 'is')) and text in TESTS:
                req = TESTS[text][0]
                same = [t for t, (r, _) in TESTS.items() if t != text and r == req]
                for t in rng.sample(same, min(5, len(same))):
                    muts.append(('test', splice(src, a, b, t)))
                for args in TEST_ARGS.get(text, []):
                    if nxt is None or nxt[0] in ('op',) and nxt[1] not in '([{-' or nxt[1] in KEYWORD_AFTER:
                        muts.append(('targs', splice(src, a, b, text + args)))
            # binary operators
            elif (kind == 'op' and text in BINOPS or kind == 'name' and text in ('and', 'or', 'in')) and i > 0 \
                    and (toks[i - 1][0] in ('name', 'num', 'str') or toks[i - 1][1] in ')]}') \
                    and toks[i - 1][1] not in ('is', 'not', 'and', 'or', 'in', 'if', 'else') \
                    and not (text == 'in' and first == 'for'):
                for op in rng.sample(BINOPS, 4):
                    if op != text:
                        muts.append(('binop', splice(src, a, b, f' {op} ')))
            # context variables
            elif kind == 'name' and text in names and prev not in ('.', '|', 'is', 'set', 'for', 'macro', 'import', 'as') \
                    and not (nxt and nxt[1] == '='):
                for other in rng.sample(names, min(3, len(names))):
                    if other != text:
                        muts.append(('var', splice(src, a, b, other)))
            # literals
            elif (kind in ('num', 'str') or kind == 'name' and text in ('none', 'None', 'true', 'false', 'True', 'False')) \
                    and first not in LOADING and prev not in ('block', 'endblock'):
                for lit in rng.sample(LITERALS, 4):
                    if lit != text:
                        muts.append(('literal', splice(src, a, b, lit)))
        # whitespace modifiers on this region's delimiters
        if not m.group(2):
            muts.append(('ws', splice(src, m.end(1), m.end(1), '-')))
            if m.group(1) == '{%':
                muts.append(('ws', splice(src, m.end(1), m.end(1), '+')))
        if not m.group(4):
            muts.append(('ws', splice(src, m.start(5), m.start(5), '-')))
    return muts


END_TAGS = ['endif', 'endfor', 'endblock', 'endmacro', 'endset', 'endwith', 'endfilter', 'endcall', 'else', 'elif x',
            'endautoescape', 'endraw']


def too_costly(src, t):
    """Mutants whose Python render could run away (no timeout on that side): a new `**`
    (`n ** big`) or a new repetition by a context number (`[1] * big`)."""
    return t.count('**') > src.count('**') or len(re.findall(r'\*\s*\w', t)) > len(re.findall(r'\*\s*\w', src))


def error_mutants(src, rng):
    """Edits likely to make the template fail (the second pass, on errors and undefined):
    a token deleted or doubled, an end tag swapped for another, a tag left unclosed, a
    newline inserted before a fault (its line), a name made undefined."""
    muts = []
    regions = tokens(src)
    for m, first, toks in regions:
        for i, (kind, text, a, b) in enumerate(toks):
            if rng.random() < 0.5:
                muts.append(('delete', splice(src, a, b, '')))
            if rng.random() < 0.3:
                muts.append(('double', splice(src, a, b, text + ' ' + text)))
            if kind == 'name' and i == 0 and (text.startswith('end') or text in ('else', 'elif')):
                for e in rng.sample(END_TAGS, 3):
                    muts.append(('endtag', splice(src, a, b, e)))
            if kind == 'name' and i > 0 and text not in KEYWORD_AFTER and toks[i - 1][1] not in ('.', '|', 'is') \
                    and rng.random() < 0.4:
                muts.append(('undef', splice(src, a, b, 'missing')))
        if m.group(1) == '{%' and first.startswith('end'):
            muts.append(('unclosed', splice(src, m.start(), m.end(), '')))
        muts.append(('lines', splice(src, m.start(), m.start(), '\n\n')))
        muts.append(('lines', splice(src, m.start(3), m.start(3), '\n')))
    if regions:
        m = regions[-1][0]
        muts.append(('unclosed', splice(src, m.start(5), m.end(5), '')))
    return muts


def case_mutants(case, rng, per_case, errors=False, double=False):
    src = case['templates'][case['entry']]
    out = []
    seen = {src}
    o = dict(case['options'])
    names = [k for k in case.get('context', {}) if re.match(r'^[A-Za-z_]\w*$', k)]
    muts = error_mutants(src, rng) if errors else template_mutants(src, rng, names)
    if double:
        # a second edit on top of a sample of the first ones
        firsts = rng.sample(muts, min(len(muts), per_case))
        muts = []
        for k, t in firsts:
            again = template_mutants(t, rng, names)
            if again:
                k2, t2 = rng.choice(again)
                muts.append((k + '+' + k2, t2))
    for kind, t in muts:
        if t in seen or NONDETERMINISTIC.search(t) or too_costly(src, t):
            continue
        seen.add(t)
        opts = dict(o)
        r = rng.random()
        if r < 0.2:
            opts['undefined'] = rng.choice(UNDEFINED_KINDS)
        elif r < 0.35:
            opts['autoescape'] = not opts.get('autoescape')
        tpl = dict(case['templates'])
        tpl[case['entry']] = t
        out.append((kind, dict(case, templates=tpl, options=opts)))
    if len(out) > per_case:
        # keep every kind represented
        by = collections.defaultdict(list)
        for k, c in out:
            by[k].append((k, c))
        keep = []
        pools = [rng.sample(v, len(v)) for v in by.values()]
        while len(keep) < per_case and any(pools):
            for p in pools:
                if p and len(keep) < per_case:
                    keep.append(p.pop())
        out = keep
    for u in UNDEFINED_KINDS:
        if u != o.get('undefined', 'default'):
            out.append(('undefined', dict(case, options=dict(o, undefined=u))))
    out.append(('autoescape', dict(case, options=dict(o, autoescape=not o.get('autoescape')))))
    return out


def main():
    argv = sys.argv
    only = argv[argv.index('--only') + 1] if '--only' in argv else None
    per_case = int(argv[argv.index('--per-case') + 1]) if '--per-case' in argv else 30
    seed = int(argv[argv.index('--seed') + 1]) if '--seed' in argv else 0
    dump = argv[argv.index('--dump') + 1] if '--dump' in argv else None
    jobs = int(argv[argv.index('--jobs') + 1]) if '--jobs' in argv else 3
    errors = '--errors' in argv
    double = '--double' in argv
    rng = random.Random(seed)
    vis = os.path.join(ROOT, '..', 'shared', 'conformance', 'visible.jsonl')
    work = []
    for line in open(vis, encoding='utf-8'):
        c = json.loads(line)
        if only and c['area'] != only and c.get('topic') != only:
            continue
        for kind, m in case_mutants(c, rng, per_case, errors, double):
            work.append((c['area'], kind, m))
    print(f'{len(work)} mutants', file=sys.stderr)
    counts = collections.Counter()
    diffs = collections.Counter()
    kinds = collections.Counter()
    dumpf = open(dump, 'w', encoding='utf-8') if dump else None
    with cf.ThreadPoolExecutor(jobs) as ex:
        for (area, kind, case), why in zip(work, ex.map(lambda w: compare(w[2]), work)):
            counts[area] += 1
            # Runtime error lines are Jinja2 code generator artifacts, not compared.
            if why and why.startswith('LOC') and not re.search(r'\((TemplateSyntaxError|TemplateAssertionError):', why):
                why = None
            if why:
                diffs[area] += 1
                kinds[kind] += 1
                print(f'--- [{area}/{kind}] {case["id"]} {json.dumps(case["templates"], ensure_ascii=False)[:400]} '
                      f'{json.dumps({k: v for k, v in case["options"].items() if v})}\n    {why}', flush=True)
                if dumpf:
                    dumpf.write(json.dumps(dict(case, why=why, mutation=kind), ensure_ascii=False) + '\n')
                    dumpf.flush()
    for area in sorted(counts):
        print(f'{area:12} {counts[area]:6} mutants {diffs[area]:4} diffs', file=sys.stderr)
    print(f'TOTAL {sum(counts.values())} mutants, {sum(diffs.values())} diffs; by mutation: {dict(kinds)}',
          file=sys.stderr)


if __name__ == '__main__':
    main()
