"""Suggestions from a person's own text: mapped through the crosswalk, stored with their span,
deduplicated, audited, one transaction, only for oneself; bad text refused clearly."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from mobilise.core.problems import InvalidInput
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import command_line_actor
from mobilise.services.audit import NotPermitted, list_events
from mobilise.services.jobs.visibility import UploadTooLarge
from mobilise.services.skill_claims import answer_suggestion
from mobilise.services.skill_crosswalk import import_reviews, shipped_reviews_file
from mobilise.services.skill_suggestions import (
    decode_upload,
    record_suggestions,
    suggest_skills,
)
from mobilise.store.database import reading
from mobilise.store.models import InferredClaimEvidence, SkillClaim, SkillRecord
from tests.support.skill_texts import ANOTHER_LANGUAGE, CV, HOSTILE
from tests.support.workforce import Workforce, add_workforce


@pytest.fixture
def workforce(engine: Engine) -> Workforce:
    people = add_workforce(engine)
    import_reviews(engine, None, shipped_reviews_file())
    return people


def _inferred(engine: Engine, person_id: int) -> dict[str, tuple[str, int]]:
    with reading(engine) as session:
        rows = session.execute(
            select(SkillRecord.key, SkillClaim.status, SkillClaim.level)
            .join(SkillRecord, SkillRecord.id == SkillClaim.skill_id)
            .where(SkillClaim.person_id == person_id, SkillClaim.source == "inferred")
        ).all()
    return {key: (status, level) for key, status, level in rows}


def test_a_cv_suggests_framework_skills_through_the_crosswalk_with_its_spans(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    found = suggest_skills(engine, analyst, CV)

    assert found.via_crosswalk
    by_key = {s.skill_key: s for s in found.suggestions}
    assert {"accessibility", "developing-code-for-analysis", "data-ethics-and-privacy"} <= set(
        by_key
    )
    python = by_key["developing-code-for-analysis"]
    assert python.esco_label == "Python (computer programming)"
    assert "Python" in CV[python.start : python.end]
    assert python.level == 1  # awareness: a mention does not weigh how well
    scores = [s.score for s in found.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert _inferred(engine, workforce.people["analyst"]) == {}  # nothing stored by a preview


def test_recording_confirms_the_chosen_keeps_the_rest_as_suggestions_and_audits(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    recorded = record_suggestions(engine, analyst, CV, confirm={"accessibility": 3})

    claims = _inferred(engine, workforce.people["analyst"])
    assert claims["accessibility"] == ("active", 3)
    assert claims["data-ethics-and-privacy"] == ("suggested", 1)
    assert len(recorded.confirmed) == 1
    assert len(recorded.suggested) == len(claims) - 1
    with reading(engine) as session:
        evidence = session.get(InferredClaimEvidence, (recorded.confirmed[0], _esco(engine)))
        assert evidence is not None
        assert "accessibility standards" in evidence.span_text
        assert evidence.document == "cv"
        assert len(evidence.text_digest) == 64
    events = list_events(engine, command_line_actor(), action="claim.suggestion_confirmed")
    assert events.total == 1
    suggested = list_events(engine, command_line_actor(), action="claim.suggested")
    assert suggested.total == len(recorded.suggested)


def _esco(engine: Engine) -> str:
    with reading(engine) as session:
        return session.scalars(
            select(InferredClaimEvidence.esco_key).where(
                InferredClaimEvidence.esco_label == "ICT accessibility standards"
            )
        ).one()


def test_the_same_text_again_suggests_nothing_new_and_rejected_skills_stay_rejected(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    first = record_suggestions(engine, analyst, CV)
    rejected = first.suggested[0]
    answer_suggestion(engine, analyst, rejected, accept=False)

    second = record_suggestions(engine, analyst, CV)

    assert second.suggested == ()
    suggested = {s.skill_key for s in suggest_skills(engine, analyst, CV).suggestions}
    assert set(second.already_held) == suggested
    # The workforce's one self-assessed skill was never suggested: it is held already.
    assert "accessibility" not in _inferred(engine, workforce.people["analyst"])
    with reading(engine) as session:
        assert session.get(SkillClaim, rejected).status == "rejected"  # type: ignore[union-attr]


def test_confirming_a_pending_suggestion_answers_it_rather_than_adding_another(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    first = record_suggestions(engine, analyst, CV)
    again = record_suggestions(
        engine, analyst, CV, confirm={"data-ethics-and-privacy": "2"}, keep_rest=False
    )
    assert again.confirmed[0] in first.suggested
    assert again.suggested == ()
    claims = _inferred(engine, workforce.people["analyst"])
    assert claims["data-ethics-and-privacy"] == ("active", 2)
    assert len(claims) == len(first.suggested)


def test_a_skill_the_text_does_not_suggest_cannot_be_confirmed_and_nothing_is_stored(
    engine: Engine, workforce: Workforce
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    with pytest.raises(InvalidInput, match="not a skill this text suggests"):
        record_suggestions(engine, analyst, CV, confirm={"accessibility": 2, "planning": 2})
    with pytest.raises(InvalidInput, match="level"):
        record_suggestions(engine, analyst, CV, confirm={"accessibility": 9})
    assert _inferred(engine, workforce.people["analyst"]) == {}
    with reading(engine) as session:
        assert session.scalar(select(func.count()).select_from(InferredClaimEvidence)) == 0


def test_only_people_with_a_profile_infer_and_only_for_themselves(
    engine: Engine, workforce: Workforce
) -> None:
    with pytest.raises(NotPermitted):
        suggest_skills(engine, command_line_actor(), CV)
    boss = development_sign_in(engine, "boss", [])
    record_suggestions(engine, boss, CV)
    # The boss's text made claims for the boss alone, never for their reports.
    assert _inferred(engine, workforce.people["analyst"]) == {}
    assert _inferred(engine, workforce.people["boss"])


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("", InvalidInput, "empty"),
        ("   \n\t ", InvalidInput, "empty"),
        ("Python" + "x" * (1024 * 1024), UploadTooLarge, "at most 1,048,576 bytes"),
        ("Python\x00SQL", InvalidInput, "NUL"),
        ("Python \udbc5 SQL", InvalidInput, "lone surrogate"),
    ],
)
def test_bad_text_is_refused_with_a_clear_message(
    engine: Engine, workforce: Workforce, text: str, error: type[Exception], message: str
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    with pytest.raises(error, match=message):
        record_suggestions(engine, analyst, text)
    assert _inferred(engine, workforce.people["analyst"]) == {}


@pytest.mark.parametrize("text", [ANOTHER_LANGUAGE, HOSTILE, "zzzz qqqq", "🙂" * 50])
def test_other_languages_hostile_and_meaningless_text_never_crash(
    engine: Engine, workforce: Workforce, text: str
) -> None:
    analyst = development_sign_in(engine, "analyst", [])
    found = suggest_skills(engine, analyst, text)
    for suggestion in found.suggestions:
        assert 0 <= suggestion.start <= suggestion.end <= len(text)
    record_suggestions(engine, analyst, text)


def test_uploads_must_be_utf8_text() -> None:
    assert decode_upload(b"Python, SQL", "cv.txt") == "Python, SQL"
    assert decode_upload(b"\xef\xbb\xbfPython", "cv.txt") == "Python"
    with pytest.raises(InvalidInput, match="not UTF-8"):
        decode_upload("Développeuse".encode("latin-1"), "cv.txt")
    with pytest.raises(UploadTooLarge):
        decode_upload(b"x" * (1024 * 1024 + 1), "cv.txt")


def test_without_a_crosswalk_the_text_is_read_against_the_framework_directly(
    engine: Engine,
) -> None:
    add_workforce(engine)
    analyst = development_sign_in(engine, "analyst", [])
    found = suggest_skills(engine, analyst, "I lead on accessibility and coding and scripting.")
    assert not found.via_crosswalk
    assert found.suggestions
    assert all(s.esco_key == "" for s in found.suggestions)
    recorded = record_suggestions(engine, analyst, "I lead on accessibility.")
    assert recorded.demand == 0  # nothing can be uncovered without a crosswalk
