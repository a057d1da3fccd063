"""Required skills suggested from an opportunity's words: the framework skills (of the default
version, through the ESCO crosswalk) its title and description mention, for its owner to confirm
with a level of their choosing. Nothing becomes a required skill without the owner: a suggestion
is shown (while writing a new opportunity) or stored (`tag-opportunities`, for those already
posted) until they confirm or dismiss it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.skills.crosswalk import Found, map_to_framework
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.framework import get_version
from mobilise.services.opportunities import find_opportunity, owns_organisation
from mobilise.services.skill_calibration import infer_calibrated, suggestion_threshold
from mobilise.services.skill_crosswalk import accepted_links, has_crosswalk
from mobilise.services.skill_inference import infer_skills
from mobilise.services.skill_suggestions import check_text
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Opportunity,
    OpportunitySkill,
    OpportunitySkillSuggestion,
    SkillRecord,
)

# ESCO skills read per text before mapping, and framework skills suggested at most.
ESCO_TOP = 40
SUGGESTED_TOP = 10
BATCH = 256
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SuggestedSkill:
    skill_key: str
    skill_name: str
    score: float
    esco_key: str  # "" when read straight against the framework (no crosswalk yet)
    esco_label: str
    start: int
    end: int
    span: str


@dataclass(frozen=True)
class OpportunityTagging:
    opportunities: int
    suggestions: int
    seconds: float


def opportunity_text(title: str, summary: str) -> str:
    return f"{title.strip()}. {summary.strip()}"


def _default_skills(session: Session) -> tuple[int, dict[str, tuple[int, str]]]:
    """The default version's id, and its skills: key to (id, name)."""
    version = get_version(session, None)
    rows = session.execute(
        select(SkillRecord.key, SkillRecord.id, SkillRecord.name).where(
            SkillRecord.framework_version_id == version.id
        )
    )
    return version.id, {row.key: (row.id, row.name) for row in rows}


def _suggested(
    engine: Engine, session: Session, texts: Sequence[str], top: int, min_score: float
) -> list[list[SuggestedSkill]]:
    """Each text's framework skills, best first (one inference call for them all)."""
    version_id, skills = _default_skills(session)
    records = {key: name for key, (_, name) in skills.items()}
    answers: list[list[SuggestedSkill]] = []
    if not has_crosswalk(session, version_id):
        # No crosswalk yet: the text is read against the framework's skills directly.
        direct = infer_calibrated(texts, "ddat", top, engine=engine)
        for text, suggestions in zip(texts, direct, strict=True):
            answers.append(
                [
                    SuggestedSkill(
                        s.key,
                        records[s.key],
                        s.score,
                        "",
                        "",
                        s.start,
                        s.end,
                        text[s.start : s.end],
                    )
                    for s in suggestions
                    if s.score >= min_score and s.key in records
                ]
            )
        return answers
    for text, esco in zip(texts, infer_skills(texts, "esco", ESCO_TOP), strict=True):
        found = [Found(s.key, s.label, s.score, s.start, s.end) for s in esco]
        links = accepted_links(session, version_id, (f.esco_key for f in found))
        mapped = [
            SuggestedSkill(
                m.skill_key,
                records[m.skill_key],
                round(m.score, 4),
                m.support.esco_key,
                m.support.esco_label,
                m.support.start,
                m.support.end,
                text[m.support.start : m.support.end],
            )
            for m in map_to_framework(found, links).skills
            if m.score >= min_score and m.skill_key in records
        ]
        answers.append(mapped[:top])
    return answers


def suggest_required_skills(
    engine: Engine, title: str, summary: str, *, top: int = SUGGESTED_TOP
) -> list[SuggestedSkill]:
    """What a new opportunity's words suggest; nothing is stored. InvalidInput names a text that
    cannot be read (empty, too long, not Unicode)."""
    text = opportunity_text(title, summary)
    check_text(summary if summary.strip() else "", "summary")
    with reading(engine) as session:
        return _suggested(engine, session, [text], top, suggestion_threshold())[0]


def _require_owner(actor: Actor, opportunity: Opportunity) -> None:
    if not owns_organisation(actor, opportunity.organisation_id):
        raise NotPermitted("only the opportunity's programme admins see and confirm its skills")


def stored_suggestions(engine: Engine, actor: Actor, key: str) -> list[SuggestedSkill]:
    """An opportunity's stored suggestions (from `tag-opportunities`), best first, for owners."""
    with reading(engine) as session:
        opportunity, _ = find_opportunity(session, key)
        _require_owner(actor, opportunity)
        text = opportunity_text(opportunity.title, opportunity.summary)
        rows = session.execute(
            select(OpportunitySkillSuggestion, SkillRecord.key, SkillRecord.name)
            .join(SkillRecord, SkillRecord.id == OpportunitySkillSuggestion.skill_id)
            .where(OpportunitySkillSuggestion.opportunity_id == opportunity.id)
            .order_by(OpportunitySkillSuggestion.score.desc(), SkillRecord.key)
        ).all()
        return [
            SuggestedSkill(
                skill_key,
                name,
                s.score,
                s.esco_key,
                s.esco_label,
                s.span_start,
                s.span_end,
                text[s.span_start : s.span_end],
            )
            for s, skill_key, name in rows
        ]


def answer_suggestions(
    engine: Engine,
    actor: Actor,
    key: str,
    confirm: Mapping[str, str],
    *,
    dismiss: Sequence[str] = (),
) -> None:
    """The owner makes some stored suggestions required skills (skill key to level name) and
    dismisses others; one transaction, audited. A level must be chosen for each confirmed one."""
    source = f"opportunity {key}"
    problems: list[Problem] = []
    levels: dict[str, int] = {}
    for skill, level in confirm.items():
        try:
            levels[skill] = int(SkillLevel.parse(level))
        except ValueError:
            rule = "needs a level: " + ", ".join(SkillLevel.labels())
            problems.append(Problem(source, None, f"level-{skill}", level, rule))
    with transaction(engine) as session:
        opportunity, _ = find_opportunity(session, key)
        _require_owner(actor, opportunity)
        pending = {
            skill_key: row
            for row, skill_key in session.execute(
                select(OpportunitySkillSuggestion, SkillRecord.key)
                .join(SkillRecord, SkillRecord.id == OpportunitySkillSuggestion.skill_id)
                .where(OpportunitySkillSuggestion.opportunity_id == opportunity.id)
            ).all()
        }
        for skill in [*confirm, *dismiss]:
            if skill not in pending:
                problems.append(Problem(source, None, "skill", skill, "is not suggested for it"))
        if problems:
            raise InvalidInput(problems)
        for skill, ordinal in levels.items():
            session.add(
                OpportunitySkill(
                    opportunity_id=opportunity.id, skill_id=pending[skill].skill_id, level=ordinal
                )
            )
        for skill in [*confirm, *dismiss]:
            session.delete(pending[skill])
        record_event(
            session,
            actor,
            "opportunity.skills_confirmed",
            entity_type="opportunity",
            entity_key=opportunity.key,
            organisation_id=opportunity.organisation_id,
            after={"confirmed": dict(confirm), "dismissed": list(dismiss)},
        )


def tag_opportunities(
    engine: Engine,
    actor: Actor | None = None,
    *,
    top: int = SUGGESTED_TOP,
    progress: Progress | None = None,
) -> OpportunityTagging:
    """Suggest required skills for every opportunity from its words, replacing the stored
    suggestions; skills it already requires are not suggested. One transaction, audited."""
    started = time.perf_counter()
    with reading(engine) as session:
        rows = session.execute(
            select(Opportunity.id, Opportunity.title, Opportunity.summary).order_by(Opportunity.id)
        ).all()
        required = {
            (row.opportunity_id, row.skill_id)
            for row in session.execute(
                select(OpportunitySkill.opportunity_id, OpportunitySkill.skill_id)
            )
        }
        suggested: list[list[SuggestedSkill]] = []
        for first in range(0, len(rows), BATCH):
            chunk = rows[first : first + BATCH]
            texts = [opportunity_text(r.title, r.summary) for r in chunk]
            suggested += _suggested(engine, session, texts, top, suggestion_threshold())
            if progress is not None:
                progress(min(first + BATCH, len(rows)), len(rows))
    now = datetime.now(UTC)
    stored = 0
    with transaction(engine) as session:
        ids = {key: skill_id for key, (skill_id, _) in _default_skills(session)[1].items()}
        session.execute(delete(OpportunitySkillSuggestion))
        for row, found in zip(rows, suggested, strict=True):
            for s in found:
                if (row.id, ids[s.skill_key]) in required:
                    continue
                session.add(
                    OpportunitySkillSuggestion(
                        opportunity_id=row.id,
                        skill_id=ids[s.skill_key],
                        esco_key=s.esco_key,
                        esco_label=s.esco_label[:300],
                        score=s.score,
                        span_start=s.start,
                        span_end=s.end,
                        suggested_at=now,
                    )
                )
                stored += 1
        summary = OpportunityTagging(len(rows), stored, round(time.perf_counter() - started, 3))
        record_event(
            session,
            actor,
            "opportunities.tagged",
            entity_type="opportunity_catalogue",
            entity_key="all",
            after={"opportunities": summary.opportunities, "suggestions": stored},
        )
    return summary
