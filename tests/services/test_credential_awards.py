"""Credentials earned by completing things: a participant marked complete on a cohort, and the
last item of a followed learning pathway, each issue one that verifies, in that change's
transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from mobilise.core.problems import InvalidInput
from mobilise.core.programmes import CohortAction
from mobilise.services.accounts import development_sign_in
from mobilise.services.actors import Role
from mobilise.services.applications import act, apply
from mobilise.services.audit import NotPermitted
from mobilise.services.cohort_delivery import complete_module, record_attendance
from mobilise.services.cohort_selection import run_selection
from mobilise.services.credential_verification import verify_credential
from mobilise.services.credentials import my_credentials
from mobilise.services.gaps import nearest_to
from mobilise.services.learning import ensure_demo_catalogue
from mobilise.services.learning_completions import record_completion
from mobilise.services.outbox import messages_for
from mobilise.services.pathway_following import follow_pathway, followed_pathways
from mobilise.services.programmes import change_cohort
from mobilise.services.selection_panel import score_application
from tests.support.programmes import ProgrammeSetup, add_programme
from tests.support.workforce import add_workforce


def test_completing_a_cohort_issues_the_programmes_credential(engine: Engine) -> None:
    setup: ProgrammeSetup = add_programme(engine)
    admin = setup.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    stranger, judge = setup.actor(engine, "stranger"), setup.actor(engine, "judge")
    key = apply(engine, stranger, "aia-1", "I run data teams.", ["role"], consent=True)
    change_cohort(engine, admin, "aia-1", CohortAction.CLOSE)
    score_application(engine, judge, key, {"motivation": 5, "experience": 3})
    run_selection(engine, admin, "aia-1")
    act(engine, stranger, key, "accept")
    change_cohort(engine, admin, "aia-1", CohortAction.START)
    record_attendance(engine, admin, "aia-1", setup.starts_on, {key})
    complete_module(engine, stranger, key, "ai-ethics")
    assert my_credentials(engine, stranger) == []

    act(engine, admin, key, "complete")

    [credential] = my_credentials(engine, stranger)
    assert credential.kind == "cohort"
    assert credential.organisation_name == "Department A"
    assert credential.achievement_key == "cohort:aia-1"
    achievement = credential.credential["credentialSubject"]["achievement"]
    assert (
        "AI ethics: transparency, accountability and bias" in (achievement["criteria"]["narrative"])
    )
    assert "80%" in achievement["criteria"]["narrative"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert verify_credential(engine, credential.token).valid
    latest = messages_for(engine, stranger)[0][0]
    assert latest.kind == "credential.issued"
    assert latest.link == f"/credentials/{credential.uuid}"


def test_completing_the_last_item_of_a_followed_pathway_issues_a_credential(
    engine: Engine,
) -> None:
    add_workforce(engine)
    ensure_demo_catalogue(engine, seed=3, items=300)
    analyst = development_sign_in(engine, "analyst", [])
    target = nearest_to(engine, analyst, "analyst", k=30)[-1].role_level.key
    with pytest.raises(NotPermitted):
        follow_pathway(engine, development_sign_in(engine, "lead", []), "analyst", target)

    followed = follow_pathway(engine, analyst, "analyst", target)
    keys = [key for key, _, _ in followed.items]
    assert keys
    assert followed.completed_at is None
    for key in keys[:-1]:
        record_completion(engine, analyst, "analyst", key)
    assert followed_pathways(engine, analyst, "analyst")[0].done == len(keys) - 1
    assert my_credentials(engine, analyst) == []

    record_completion(engine, analyst, "analyst", keys[-1])

    [state] = followed_pathways(engine, analyst, "analyst")
    assert state.completed_at is not None
    assert state.done == len(keys)
    [credential] = my_credentials(engine, analyst)
    assert credential.kind == "pathway"
    assert credential.achievement_key == f"pathway:{target}"
    assert credential.organisation_name == "Department A"
    assert verify_credential(engine, credential.token).valid
    with pytest.raises(InvalidInput, match="is completed"):
        follow_pathway(engine, analyst, "analyst", target)
