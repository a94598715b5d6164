#!/usr/bin/env python3
"""c13 d16: template names in include/extends/import: relative-looking, absolute-looking,
doubled or trailing slashes, `..`, case, empty, non-string names and lists. Known remaining
difference (README): the cases' templates are a DictLoader in Jinja2 (exact names), while
`jinjac render -t DIR` loads from a directory with FileSystemLoader's name rules, where
`./part`, `/part`, `sub//x`, `sub/./x` and `part/` all name the file `part`/`sub/x`."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

L = {'part': 'P', 'sub/x.html': 'X{% include "part" %}', 'sub/y.html': '{% include "x.html" ignore missing %}Y'}
T = ["{% include './part' %}", "{% include 'sub/../part' %}", "{% include '/part' %}", "{% include 'sub//x.html' %}", "{% include 'sub/./x.html' %}",
     "{% include 'part/' %}", "{% include 'sub/x.html' %}", "{% include 'sub/y.html' %}", "{% include 'SUB/x.html' %}", "{% include 'Part' %}",
     "{% include 'part ' %}", "{% include '' %}", "{% include 'sub' %}", "{% include '.' %}", "{% include '..' %}", "{% include 'sub\\\\x.html' %}",
     "{% extends './part' %}", "{% import './part' as p %}", "{% include ['./part', 'part'] %}", "{% include 'main' if false else 'part' %}",
     "{% include 'sub/x.html' ~ '' %}", "{% include none %}", "{% include 1 %}", "{% include ['nope'] ignore missing %}ok", "{% include [] %}",
     "{% include [] ignore missing %}ok"]
check([mk(dict(L, main=t)) for t in T], 'c13_d16 template names')
