#!/usr/bin/env python3
"""Differential sweep over Jinja2's own test suite: run its tests (pytest, from the Jinja2
3.1.6 source distribution unpacked locally, e.g. `pip download jinja2==3.1.6 --no-binary :all:`)
with Template.render and Environment.from_string patched to record every render (and every
template that fails to compile) whose environment the case format expresses (a plain or async
Environment with only the five options, default filters/tests, a DictLoader or none), with the
context made JSON as visible.jsonl's jinja/ cases are (ranges and tuples as lists, namedtuples
and test objects as dicts, environment globals moved into the context, unused non-JSON values
dropped); then render every distinct recorded case with Jinja2 and jinjac
(scripts/conform_probe.py) and print the differences. Nothing is fetched at run time.

Usage: PYTHONPATH=<dir with pytest> python3 scripts/sweep_jinja_tests.py [TESTS_DIR] [TEST_SUBSTR]
"""
import json, sys, os
import jinja2
from jinja2 import Environment, Template, DictLoader, Undefined, StrictUndefined, ChainableUndefined, DebugUndefined
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS, DEFAULT_NAMESPACE
import jinja2.environment as je

OUT = open(os.environ.get('SWEEP_OUT', '/tmp/jinja_tests_recorded.jsonl'), 'w')
UND = {Undefined: 'default', StrictUndefined: 'strict', ChainableUndefined: 'chainable', DebugUndefined: 'debug'}
DEF = Environment()
CUR = {'test': None}

def plain(v):
    if v is None or type(v) in (bool, int, str): return True
    if type(v) is float: return v == v and v not in (float('inf'), float('-inf'))
    if type(v) is list: return all(plain(x) for x in v)
    if type(v) is dict: return all(type(k) is str and plain(x) for k, x in v.items())
    return False

class NoConv(Exception): pass
def conv(v):
    if v is None or type(v) in (bool, int, str): return v
    if type(v) is float:
        if v != v or v in (float('inf'), float('-inf')): raise NoConv
        return v
    if type(v) in (list, tuple, range): return [conv(x) for x in v]
    if type(v) is dict:
        if not all(type(k) is str for k in v): raise NoConv
        return {k: conv(x) for k, x in v.items()}
    if hasattr(v, '_asdict'): return conv(v._asdict())
    if type(v).__module__ not in ('builtins',) and hasattr(v, '__dict__') and not callable(v) and type(v).__module__.startswith('test'):
        return {k: conv(x) for k, x in vars(v).items() if not k.startswith('_')}
    raise NoConv
def conv_ctx(ctx, src):
    out = {}; notes = []
    for k, v in ctx.items():
        try:
            out[k] = conv(v)
        except NoConv:
            if k in src: raise
            notes.append('dropped ' + k)
    return out, notes

def env_ok(env):
    if type(env) is not Environment: return None
    for a in ('block_start_string','block_end_string','variable_start_string','variable_end_string',
              'comment_start_string','comment_end_string','line_statement_prefix','line_comment_prefix',
              'newline_sequence','optimized','finalize'):
        if getattr(env, a, None) != getattr(DEF, a, None): return None
    if env.extensions: return None
    if env.undefined not in UND: return None
    if not isinstance(env.autoescape, bool): return None
    if set(env.filters) != set(DEFAULT_FILTERS) or any(env.filters[k] is not DEFAULT_FILTERS[k] for k in DEFAULT_FILTERS): return None
    if set(env.tests) != set(DEFAULT_TESTS) or any(env.tests[k] is not DEFAULT_TESTS[k] for k in DEFAULT_TESTS): return None
    if any(k in DEFAULT_NAMESPACE and env.globals[k] is not DEFAULT_NAMESPACE[k] for k in env.globals): return None
    if env.policies != DEF.policies: return None
    if env.loader is not None and type(env.loader) is not DictLoader: return None
    return {'autoescape': env.autoescape, 'trim_blocks': env.trim_blocks, 'lstrip_blocks': env.lstrip_blocks,
            'keep_trailing_newline': env.keep_trailing_newline, 'undefined': UND[env.undefined]}

orig_fs = Environment.from_string
def from_string(self, source, globals=None, template_class=None):
    try:
        t = orig_fs(self, source, globals, template_class)
    except Exception:
        opts = env_ok(self)
        if opts is not None and isinstance(source, str) and not globals:
            templates = dict(self.loader.mapping) if self.loader is not None else {}
            entry = 'main'
            while entry in templates: entry += '_'
            templates[entry] = source
            OUT.write(json.dumps({'test': CUR['test'], 'templates': templates, 'entry': entry, 'context': {}, 'options': opts, 'compile_error': True}) + '\n')
        raise
    try:
        t._c11_src = source if isinstance(source, str) else None
        t._c11_globals = bool(globals)
    except Exception: pass
    return t
Environment.from_string = from_string

orig_render = Template.render
def render(self, *args, **kwargs):
    try:
        record(self, args, kwargs)
    except Exception as e:
        pass
    return orig_render(self, *args, **kwargs)
Template.render = render

def record(t, args, kwargs):
    env = t.environment
    opts = env_ok(env)
    if opts is None: return
    if getattr(t, '_c11_globals', False): return
    ctx = dict(*args, **kwargs)
    extra = {k: v for k, v in env.globals.items() if k not in DEFAULT_NAMESPACE}
    extra.update(getattr(t, 'globals', {}) or {})
    for k in DEFAULT_NAMESPACE: extra.pop(k, None)
    for k, v in extra.items(): ctx.setdefault(k, v)
    templates = dict(env.loader.mapping) if env.loader is not None else {}
    allsrc = ''.join(v for v in templates.values() if isinstance(v, str)) + (getattr(t, '_c11_src', None) or '')
    try:
        ctx, notes = conv_ctx(ctx, allsrc)
    except (NoConv, RecursionError):
        return
    if not all(isinstance(v, str) for v in templates.values()): return
    src = getattr(t, '_c11_src', None)
    if src is not None:
        entry = 'main'
        while entry in templates: entry += '_'
        templates[entry] = src
    elif t.name in templates:
        entry = t.name
    else:
        return
    OUT.write(json.dumps({'test': CUR['test'], 'templates': templates, 'entry': entry, 'context': ctx, 'options': opts}) + '\n')
    OUT.flush()

import pytest
class Plugin:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        CUR['test'] = item.nodeid
        yield
def probe(path, only=None):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from conform_probe import check
    seen = set(); cases = []
    for l in open(path):
        r = json.loads(l)
        k = json.dumps([r['templates'], r['entry'], r['context'], r['options']], sort_keys=True)
        if k in seen or (only and only not in r['test']):
            continue
        seen.add(k)
        cases.append({k: r[k] for k in ('templates', 'entry', 'context', 'options')})
    check(cases, 'Jinja2 test suite, recorded render calls')

if __name__ == '__main__':
    # Record in a child process (the patched Jinja2 must not render the probes' expectations).
    if len(sys.argv) > 1 and sys.argv[1] == '--record':
        sys.exit(pytest.main(sys.argv[2:] + ['-q', '-p', 'no:cacheprovider'], plugins=[Plugin()]))
    import subprocess
    tests = sys.argv[1] if len(sys.argv) > 1 else '/tmp/c11_j2/jinja2-3.1.6/tests'
    subprocess.run([sys.executable, os.path.abspath(__file__), '--record', tests], cwd=os.path.dirname(tests),
                   stdout=subprocess.DEVNULL)
    probe(OUT.name, sys.argv[2] if len(sys.argv) > 2 else None)
