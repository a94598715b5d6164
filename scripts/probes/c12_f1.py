import sys; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
C = {'d': {'b': 2, 'a': 1}, 'e': {}}
T = []
for v in ['range(5)', 'range(10, 0, -3)', 'range(0)', 'd', 'd.keys()', 'd.values()', 'd.items()', '[1, 2]', '(1, 2)', "'ab'", "'ab'|safe", 'e.items()', '[1,2]|reverse', '[3,1]|select', 'undefinedv', 'none', '5', '[1,1]|groupby("real")|first', 'namespace(a=1)', 'cycler(1,2)']:
    for f in ['|list', '|length', '|tojson', '|last', '|first', '|reverse|list', '|join(",")', '|sum', '|count', ' is sequence', ' is iterable', '|string|truncate(16, true, "")', '|pprint|truncate(16, true, "")', '|max', '|sort']:
        T.append(mk('{{ %s|reverse%s }}' % (v, f), ctx=C))
for a in ['d.keys()', 'd.values()', 'd.items()', 'e.keys()', 'e.items()', '[("a", 1), ("b", 2)]', "['b', 'a']", '{"a": 1, "b": 2}.keys()', '{"b": 2, "a": 1}.items()', '{"b": 3, "a": 1}.items()', 'd', 'none', "['a','b']|reverse"]:
    for b in ['d.keys()', 'd.values()', 'd.items()', 'e.keys()', 'e.items()']:
        T.append(mk('{{ %s == %s }} {{ %s != %s }} {%% set v = %s %%}{{ v == v }}' % (a, b, a, b, a), ctx=C))
for fm in ['"x"', '"%s"', '"%s %s"', '"%(a)s"', '"%d"']:
    for a in ['d.keys()', 'd.values()', 'd.items()', 'd.items', 'range(3)', 'range', 'namespace(a=1)', 'cycler(1)', 'joiner()', 'self', '[1,2]|reverse', 'lipsum', 'd', '[1]', 'undefinedv', '(1, [2])', '[1,1]|groupby("real")|first', 'loop', '"s"|safe', '1.5', 'none', 'dict']:
        T.append(mk('{{ %s %% %s }}' % (fm, a), ctx=C))
        T.append(mk('{%% for i in [1] %%}{{ %s %% %s }}{%% endfor %%}' % (fm, a), ctx=C))
check(T, 'reverse / view eq / printf mapping')
