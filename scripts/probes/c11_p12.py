import sys, itertools; sys.path.insert(0, __import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)), '..'))
from conform_probe import mk, check
L = {'base': "<{% block x %}bx{% endblock %}|{% block y %}by{% endblock %}>",
     'mid': "{% extends 'base' %}{% block x %}mx[{{ super() }}]{% endblock %}",
     'mid2': "{% extends 'mid' %}{% block x %}m2[{{ super() }}]{% endblock %}"}
T = [
"{% extends 'mid' %}{% block x %}{{ super.super() }}{% endblock %}",
"{% extends 'mid2' %}{% block x %}{{ super.super() }}|{{ super.super.super() }}|{{ super() }}{% endblock %}",
"{% extends 'mid2' %}{% block x %}{{ super.super.super.super() }}{% endblock %}",
"{% extends 'mid' %}{% block x %}[{{ super.super.super }}]{{ super.super.super is defined }}{% endblock %}",
"{% extends 'base' %}{% block x %}[{{ super.super }}]{% endblock %}",
"{% extends 'base' %}{% block x %}{{ super.super() }}{% endblock %}",
"{% block x %}[{{ super }}]{{ super is defined }}{% endblock %}",
"{% block x %}{{ super() }}{% endblock %}",
"{% extends 'base' %}{% block y %}{{ super is defined }}{{ super() }}{% endblock %}",
"{% extends 'mid' %}{% block y %}{{ self.x() }}{{ self.x.super() }}{% endblock %}",
"{% extends 'mid' %}{% block x %}{{ super.nope }}{% endblock %}",
"{% extends 'base' %}{% block x %}{% set s = super %}{{ s() }}{{ s.super is defined }}{% endblock %}",
"{% extends 'base' %}{% block x %}{{ super()|upper }}{% endblock %}{% block y %}{% for i in [1] %}{{ super() }}{% endfor %}{% endblock %}",
"{% block x %}{% block z %}{{ super is defined }}{% endblock %}{% endblock %}",
]
cases=[]
for u in ['default', 'strict', 'debug', 'chainable']:
    cases += [mk(dict(L, main=t), undefined=u) for t in T]
check(cases, 'super')
