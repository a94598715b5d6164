#!/usr/bin/env python3
"""c13 d12: integer and dotted attribute paths in attribute-taking filters (groupby(0),
sort(attribute=1), map(attribute='0.1'), sum/min/max/unique/selectattr over lists of lists),
and out-of-range numeric arguments (batch(0), slice(0), truncate(-1), wordwrap(0), indent(-1),
center(-5), round(-1) on floats)."""
import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from conform_probe import mk, check

CTX = {'rows': [[1, 'b', [3, 'x']], [1, 'a', [1, 'y']], [2, 'c', [2, 'z']]],
       'objs': [{'k': {'v': [5, 6]}, 'n': 'x'}, {'k': {'v': [4]}, 'n': 'y'}, {'k': {}, 'n': 'z'}]}
T = r'''
{{ rows|groupby(0)|list }}|{{ rows|groupby('0')|map(attribute='grouper')|list }}|{{ rows|groupby(1)|map(attribute='grouper')|list }}
{{ rows|sort(attribute=1) }}|{{ rows|sort(attribute='2.0')|map(attribute=1)|join }}|{{ rows|sort(attribute='0,1')|map(attribute=1)|join }}
{{ rows|map(attribute=0)|list }}|{{ rows|map(attribute='2.1')|list }}|{{ rows|map(attribute='5', default='d')|list }}|{{ rows|map(attribute='-1')|list }}
{{ rows|sum(attribute=0) }}|{{ rows|min(attribute=1) }}|{{ rows|max(attribute='2.0') }}|{{ rows|unique(attribute=0)|list }}|{{ rows|selectattr(0, 'eq', 1)|list|length }}
{{ rows|rejectattr('2.0', 'gt', 1)|map(attribute=1)|list }}|{{ rows|selectattr('1')|list|length }}|{{ rows|map(attribute='1')|map('upper')|join }}
{{ objs|map(attribute='k.v.0')|list }}|{{ objs|map(attribute='k.v.0', default=0)|list }}|{{ objs|sort(attribute='k.v.0')|map(attribute='n')|list }}
{{ objs|groupby('k.v.0')|map(attribute='grouper')|list }}|{{ objs|groupby('k.v.0', default=-1)|map(attribute='grouper')|list }}|{{ objs|selectattr('k.v')|map(attribute='n')|list }}
{{ objs|sum(attribute='k.v.0') }}|{{ objs|max(attribute='k.v.1') }}|{{ objs|unique(attribute='k.v.0')|map(attribute='n')|list }}|{{ objs|map(attribute='k')|map('length')|list }}
{{ [1, 2]|batch(0)|list }}
{{ [1, 2]|batch(-1)|list }}
{{ [1, 2]|batch(1.5)|list }}
{{ [1, 2]|slice(0)|list }}
{{ [1, 2]|slice(-1)|list }}
{{ 'abc def'|truncate(-1) }}
{{ 'abc def'|truncate(2, true, '...', -5) }}
{{ 'abc def'|wordwrap(0) }}
{{ 'abc def'|wordwrap(-2) }}
{{ 'a\nb'|indent(-1) }}|{{ 'a\nb'|indent(0, true) }}
{{ 'ab'|center(-5) }}|{{ 'ab'|center(3.0) if false else 1 }}
{{ 12.345|round(-1) }}|{{ 15.5|round(-1, 'ceil') }}|{{ -15.5|round(-1, 'floor') }}|{{ 12|round(-1, 'floor') }}|{{ 1234.5|round(-2) }}
{{ 2.5|round(0, 'common') }}|{{ 2.5|round(method='nope') }}
{{ 3|round(1.5) }}
{{ range(5)|random in range(5) }}|{{ 'abc'|random in 'abc' }}
{{ [[1, 2], [3]]|map('sum')|list }}|{{ [[1, 2], [3]]|map('join', ',')|list }}|{{ [[1, 2], [3]]|map('length')|sum }}|{{ [[1, 2], [3]]|sum(start=[])|max }}
{{ {'a': [1, 2], 'b': [3]}|dictsort|map('last')|map('sum')|list }}|{{ {'a': 1}|map('upper')|list }}|{{ {'a': 1}.items()|map('list')|list }}
'''
cases = []
for line in T.strip('\n').split('\n'):
    for ae in (False, True):
        cases.append(mk(line, ctx=CTX, autoescape=ae))
check(cases, 'c13_d12 attribute paths')
