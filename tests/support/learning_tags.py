"""A learning item about Python, tagged, with the shipped crosswalk reviews: its Python tag maps
to framework skills, so confirming it changes what the item teaches."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Engine

from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.services.skill_tags import tag_learning_catalogue
from mobilise.store.database import transaction
from mobilise.store.models import LearningItem
from tests.support.skill_texts import COURSE

COURSE_KEY = "python-for-analysis"
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


def add_tagged_course(engine: Engine) -> None:
    import_reviews(engine, None, shipped_reviews_file())
    with transaction(engine) as session:
        session.add(
            LearningItem(
                key=COURSE_KEY,
                title="Python for analysis",
                provider="Made up here",
                format="course",
                hours=Decimal("6"),
                description=COURSE,
            )
        )
    tag_learning_catalogue(engine, top=10, min_score=0.0)
