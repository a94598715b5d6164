#!/usr/bin/env python3
"""Thirteenth sweep, errors of include/import/extends targets of every type (numbers, none,
lists with undefined or non-str names, dicts), extends twice, and runtime errors in the root
of an extending template, under three undefined kinds."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check
M = ['{% extends 1 %}', '{% extends none %}x', '{% include 1 %}', '{% import none as x %}', '{% extends [] %}', '{% include {} %}', '{% include [1, "i"] %}', '{% include [none, "i"] %}',
     '{% from 1 import a %}', '{% extends u %}', '{% include u %}', '{% import u as q %}', '{% include u ignore missing %}x', '{% include [u] ignore missing %}x', '{% include ["nope", u] %}',
     '{% include [u, "nope", 1] %}', '{% extends "i" %}{% extends "i" %}', '{% extends "i" %}{% block b %}{% endblock %}{% extends "i" %}', '{% include "i" ~ 1 %}', '{% include ("i",) %}',
     '{% include "i" without context ignore missing %}', '{% include "nope" ignore missing with context %}x', '{% import "i" as i %}{{ i }}', '{% from "i" import b %}',
     '{% from "i" import self %}', '{% from "i" import loop %}', '{% extends "i" %}{{ 1/0 }}', '{% extends "i" %}{% set x = 1/0 %}', '{% extends "i" %}{% for a in 1 %}{% endfor %}',
     '{% extends "i" %}{% include "nope" %}', '{% extends "i" %}{% do 1/0 %}']
check([mk({'main': m, 'i': 'I{% block b %}{% endblock %}'}, ctx={}, undefined=u) for m in M for u in ['default', 'strict', 'debug']], 'c13 e4 include/import/extends targets')
