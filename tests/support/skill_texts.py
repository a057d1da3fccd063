"""Small texts for skill inference tests (made up here; nothing from the evaluation set)."""

from __future__ import annotations

CV = """Jo Bloggs — data scientist

2021 to now: Department A, data science team.
- Wrote Python (computer programming) and SQL to clean and link survey data.
- Applied statistics to estimate regional uptake, and presented the analysis to ministers.
- Made sure every service met ICT accessibility standards; tested with screen readers.
- Handled personal data under data protection law, with privacy impact assessments.

Before that: qualified to operate a forklift truck in a warehouse (no framework skill covers it).
"""

ANOTHER_LANGUAGE = "Je suis développeuse. J'écris du code Python et je gère des bases de données."
HOSTILE = '<script>alert("x")</script> Python\u202e SQL; DROP TABLE skill_claim;-- \U0001f600'
COURSE = "Learn Python (computer programming) for analysis: write scripts, clean data with SQL."
