from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError

from mobilise.services.transfer import (
    constraints,
    import_claims,
    import_organisations,
    import_people,
)
from mobilise.store.database import transaction
from mobilise.store.models import SkillClaim
from tests.services.transfer.conftest import CLAIMS_CSV, ORGANISATIONS_CSV, PEOPLE_CSV, write


def test_a_large_load_keeps_every_foreign_key(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def foreign_keys() -> dict[str, list[str]]:
        found = inspect(engine)
        return {
            t: sorted(fk["name"] or "" for fk in found.get_foreign_keys(t))
            for t in ("person", "skill_claim")
        }

    before = foreign_keys()
    monkeypatch.setattr(constraints, "LARGE_LOAD_ROWS", 1)
    import_organisations(engine, write(tmp_path, "o.csv", ORGANISATIONS_CSV))
    import_people(engine, write(tmp_path, "p.csv", PEOPLE_CSV))
    report = import_claims(engine, write(tmp_path, "c.csv", CLAIMS_CSV))
    assert report.created == 3
    assert foreign_keys() == before
    with pytest.raises(IntegrityError), transaction(engine) as session:
        session.add(
            SkillClaim(
                person_id=999_999, skill_id=1, level=1, source="self", claimed_on=date(2024, 1, 1)
            )
        )
