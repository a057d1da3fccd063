"""Skills suggested from a person's own text (a CV, a summary): found as ESCO skills, mapped to the
skills of the person's framework version through the crosswalk, and stored as claims of source
"inferred" that the person confirms or rejects (docs/profiles.md, docs/skills.md).

Only the person acts for themselves: the services take no person but the actor's own. The text is
read and forgotten; a stored suggestion keeps the supporting span, its score and the ESCO skill
(`inferred_claim_evidence`), and a SHA-256 of the text.

The level proposed is awareness: a mention in a text shows that a person knows of a skill, and
nothing in a few words weighs how well they practise it. The person chooses another level when
they confirm, or assesses the skill later.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mobilise.core.framework import SkillLevel
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.skills.crosswalk import Found, map_to_framework
from mobilise.core.skills.model import TaxonomyEntry
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.jobs.visibility import UploadTooLarge
from mobilise.services.people import framework_version_of, visible_person
from mobilise.services.skill_crosswalk import accepted_links, has_crosswalk
from mobilise.services.skill_demand import raise_demand
from mobilise.services.skill_inference import (
    MAX_TEXT_BYTES,
    build_inferencer,
    infer_skills,
    inferencer_for,
)
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    FrameworkVersion,
    InferredClaimEvidence,
    Person,
    SkillClaim,
    SkillRecord,
)
from mobilise.store.models.skills import MAX_SPAN

DOCUMENTS = {"cv": "CV", "summary": "summary", "other": "text"}
# ESCO skills read from a text before mapping: enough that a CV's many skills all get a chance.
ESCO_TOP = 40
MAX_SUGGESTIONS = 30
MIN_SCORE = 0.1
# Uncovered ESCO skills counted as demand per text: only the surest few, so noise stays out.
DEMAND_MIN_SCORE = 0.45
DEMAND_PER_TEXT = 3
PROPOSED_LEVEL = SkillLevel.AWARENESS
SOURCE = "text"


@dataclass(frozen=True)
class SkillSuggestion:
    skill_key: str
    skill_name: str
    score: float
    level: int
    esco_key: str  # "" when suggested straight from the framework's skills (no crosswalk yet)
    esco_label: str
    esco_score: float
    start: int
    end: int
    # What the person already has for this skill: "active", "suggested", "rejected" or None.
    held: str | None


@dataclass(frozen=True)
class TextSuggestions:
    suggestions: tuple[SkillSuggestion, ...]
    uncovered: tuple[Found, ...]
    via_crosswalk: bool


@dataclass(frozen=True)
class RecordedSuggestions:
    confirmed: tuple[int, ...]  # claim ids, now active
    suggested: tuple[int, ...]  # claim ids, waiting for the person's answer
    already_held: tuple[str, ...]  # skill keys left alone
    demand: int  # uncovered ESCO skills counted as change requests


def check_text(text: str, column: str = "text") -> None:
    """InvalidInput (UploadTooLarge, a 413, for size) if the text cannot be read for skills."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        # Lone surrogates arrive through JSON escapes; no store can keep them.
        raise InvalidInput(
            [
                Problem(
                    SOURCE,
                    None,
                    column,
                    None,
                    f"is not valid Unicode (character {error.start + 1} is a lone surrogate)",
                )
            ]
        ) from None
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_TEXT_BYTES:
        raise UploadTooLarge(
            [
                Problem(
                    SOURCE,
                    None,
                    column,
                    text[:40],
                    f"is {size:,} bytes; at most {MAX_TEXT_BYTES:,} bytes (1 MB) of text is read",
                )
            ]
        )
    if not text.strip():
        raise InvalidInput([Problem(SOURCE, None, column, "", "is empty: paste some text")])
    if "\x00" in text:
        raise InvalidInput(
            [Problem(SOURCE, None, column, None, "contains NUL characters; it is not plain text")]
        )


def decode_upload(raw: bytes, filename: str) -> str:
    """A plain-text upload as text: UTF-8 only, and a message that says how to fix the rest."""
    if len(raw) > MAX_TEXT_BYTES:
        raise UploadTooLarge(
            [Problem("upload", None, "file", filename, f"is larger than {MAX_TEXT_BYTES:,} bytes")]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            [
                Problem(
                    "upload",
                    None,
                    "file",
                    filename,
                    f"is not UTF-8 text (byte {error.start + 1}); save it as plain text "
                    "(.txt, UTF-8) or paste the text instead",
                )
            ]
        ) from None


def _self(session: Session, actor: Actor) -> Person:
    if actor.person_key is None or actor.person_id is None:
        raise NotPermitted("only people in an organisation's records have a skill profile")
    return visible_person(session, actor, actor.person_key)


def _found(text: str) -> list[Found]:
    return [
        Found(s.key, s.label, s.score, s.start, s.end)
        for s in infer_skills([text], "esco", ESCO_TOP)[0]
    ]


def _framework_entries(session: Session, version_id: int) -> list[TaxonomyEntry]:
    rows = session.execute(
        select(SkillRecord.key, SkillRecord.name, SkillRecord.description)
        .where(SkillRecord.framework_version_id == version_id)
        .order_by(SkillRecord.key)
    ).all()
    return [TaxonomyEntry(key, name, (), description) for key, name, description in rows]


def _held(session: Session, person_id: int, skill_ids: Sequence[int]) -> dict[int, str]:
    """Per skill, what the person has: an active claim wins over a pending suggestion, and that
    over an inferred claim they rejected."""
    rank = {"active": 3, "suggested": 2, "rejected": 1}
    held: dict[int, str] = {}
    rows = session.execute(
        select(SkillClaim.skill_id, SkillClaim.status, SkillClaim.source).where(
            SkillClaim.person_id == person_id, SkillClaim.skill_id.in_(list(skill_ids))
        )
    ).all()
    for skill_id, status, source in rows:
        if status == "rejected" and source != "inferred":
            continue  # a manager's rejection of a self-assessment is not an answer to inference
        if rank[status] > rank.get(held.get(skill_id, ""), 0):
            held[skill_id] = status
    return held


def _suggest(
    engine: Engine, session: Session, person: Person, text: str, top: int
) -> tuple[TextSuggestions, dict[str, int], int]:
    """The suggestions, the skill ids by key, and the version id."""
    version_id = framework_version_of(session, person)
    records = {
        key: (skill_id, name)
        for skill_id, key, name in session.execute(
            select(SkillRecord.id, SkillRecord.key, SkillRecord.name).where(
                SkillRecord.framework_version_id == version_id
            )
        )
    }
    via_crosswalk = has_crosswalk(session, version_id)
    uncovered: tuple[Found, ...] = ()
    picked: list[tuple[str, float, Found | None, int, int]] = []
    if via_crosswalk:
        found = _found(text)
        mapping = map_to_framework(
            found, accepted_links(session, version_id, (f.esco_key for f in found))
        )
        uncovered = mapping.uncovered
        for mapped in mapping.skills:
            support = mapped.support
            picked.append((mapped.skill_key, mapped.score, support, support.start, support.end))
    else:
        # No crosswalk for this version yet: read the text against its skills directly (the
        # default version's inferencer is built once per process; another's on the fast path).
        default = session.scalar(select(FrameworkVersion.id).where(FrameworkVersion.is_default))
        inferencer = (
            inferencer_for("ddat", engine)
            if version_id == default
            else build_inferencer(_framework_entries(session, version_id), method="fast")
        )
        for s in inferencer.infer([text], top)[0]:
            picked.append((s.key, s.score, None, s.start, s.end))
    picked = [p for p in picked if p[1] >= MIN_SCORE and p[0] in records][:top]
    held = _held(session, person.id, [records[p[0]][0] for p in picked])
    suggestions = tuple(
        SkillSuggestion(
            skill_key=key,
            skill_name=records[key][1],
            score=round(score, 4),
            level=int(PROPOSED_LEVEL),
            esco_key=support.esco_key if support else "",
            esco_label=support.esco_label if support else "",
            esco_score=round(support.score, 4) if support else round(score, 4),
            start=start,
            end=end,
            held=held.get(records[key][0]),
        )
        for key, score, support, start, end in picked
    )
    return (
        TextSuggestions(suggestions, uncovered, via_crosswalk),
        {key: value[0] for key, value in records.items()},
        version_id,
    )


def _check_top(top: int) -> None:
    if not 1 <= top <= MAX_SUGGESTIONS:
        raise InvalidInput(
            [Problem(SOURCE, None, "top", str(top), f"must be 1 to {MAX_SUGGESTIONS}")]
        )


def suggest_skills(engine: Engine, actor: Actor, text: str, *, top: int = 10) -> TextSuggestions:
    """What the actor's text suggests for their own profile; nothing is stored."""
    check_text(text)
    _check_top(top)
    with reading(engine) as session:
        person = _self(session, actor)
        return _suggest(engine, session, person, text, top)[0]


def _levels(confirm: Mapping[str, int | str]) -> dict[str, SkillLevel]:
    levels: dict[str, SkillLevel] = {}
    problems = []
    for key, value in confirm.items():
        try:
            levels[key] = SkillLevel(int(value))
        except (TypeError, ValueError):
            problems.append(
                Problem(SOURCE, None, f"level of {key}", str(value), "must be a level from 1 to 4")
            )
    if problems:
        raise InvalidInput(problems)
    return levels


def _evidence(document: str, text: str, suggestion: SkillSuggestion) -> str:
    span = " ".join(text[suggestion.start : suggestion.end].split())[:MAX_SPAN]
    found_as = (
        f" (ESCO: {suggestion.esco_label}, score {suggestion.score:.2f})"
        if suggestion.esco_key
        else f" (score {suggestion.score:.2f})"
    )
    return f"Inferred from your {DOCUMENTS[document]}: “{span}”{found_as}"


def record_suggestions(
    engine: Engine,
    actor: Actor,
    text: str,
    *,
    confirm: Mapping[str, int | str] | None = None,
    keep_rest: bool = True,
    document: str = "cv",
    top: int = 10,
) -> RecordedSuggestions:
    """Store what the actor's text suggests, in one transaction, audited.

    Skills in `confirm` (key → level) become active claims at once (confirmed suggestions); with
    `keep_rest` the others are stored as suggestions to answer later, except skills the person
    already holds, is already asked about, or rejected when inferred before. A key in `confirm`
    that this text does not suggest is refused: inference cannot vouch for it.
    """
    check_text(text)
    _check_top(top)
    if document not in DOCUMENTS:
        raise InvalidInput(
            [Problem(SOURCE, None, "document", document, "must be cv, summary or other")]
        )
    levels = _levels(confirm or {})
    digest = hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()
    now = datetime.now(UTC)
    today = now.date()
    with transaction(engine) as session:
        person = _self(session, actor)
        found, skill_ids, version_id = _suggest(engine, session, person, text, top)
        offered = {s.skill_key: s for s in found.suggestions}
        unknown = sorted(set(levels) - set(offered))
        if unknown:
            raise InvalidInput(
                [
                    Problem(SOURCE, None, "confirm", key, "is not a skill this text suggests")
                    for key in unknown
                ]
            )
        confirmed: list[int] = []
        suggested: list[int] = []
        left: list[str] = []
        for suggestion in found.suggestions:
            key = suggestion.skill_key
            if key in levels:
                claim = _pending(session, person.id, skill_ids[key]) or _claim_today(
                    session, person.id, skill_ids[key], today
                )
                status, level = "active", levels[key]
            elif keep_rest and suggestion.held is None:
                claim = _claim_today(session, person.id, skill_ids[key], today)
                status, level = "suggested", PROPOSED_LEVEL
            else:
                left.append(key)
                continue
            before = None if claim.id is None else _facts(claim)
            claim.level, claim.status = int(level), status
            claim.evidence = _evidence(document, text, suggestion)
            session.flush()
            _store_evidence(session, claim.id, suggestion, text, document, digest, now)
            (confirmed if status == "active" else suggested).append(claim.id)
            record_event(
                session,
                actor,
                "claim.suggestion_confirmed" if status == "active" else "claim.suggested",
                entity_type="skill_claim",
                entity_key=str(claim.id),
                organisation_id=person.organisation_id,
                before=before,
                after={
                    **_facts(claim),
                    "skill_key": key,
                    "esco_key": suggestion.esco_key,
                    "score": suggestion.score,
                },
            )
        demand = 0
        if found.via_crosswalk:
            surest = [f for f in found.uncovered if f.score >= DEMAND_MIN_SCORE][:DEMAND_PER_TEXT]
            # A CV is about a person: its passages are never kept as examples.
            demand = raise_demand(session, version_id, surest)
        return RecordedSuggestions(tuple(confirmed), tuple(suggested), tuple(left), demand)


def _facts(claim: SkillClaim) -> dict[str, object]:
    return {
        "skill": claim.skill_id,
        "level": claim.level,
        "source": claim.source,
        "status": claim.status,
        "claimed_on": claim.claimed_on,
    }


def _claim_today(session: Session, person_id: int, skill_id: int, today: date) -> SkillClaim:
    """Today's inferred claim of the skill (claims are unique per person, skill, source, day)."""
    claim = session.scalar(
        select(SkillClaim).where(
            SkillClaim.person_id == person_id,
            SkillClaim.skill_id == skill_id,
            SkillClaim.source == "inferred",
            SkillClaim.claimed_on == today,
        )
    )
    if claim is None:
        claim = SkillClaim(
            person_id=person_id,
            skill_id=skill_id,
            source="inferred",
            claimed_on=today,
            level=int(PROPOSED_LEVEL),
            status="suggested",
            evidence="",
        )
        session.add(claim)
    return claim


def _pending(session: Session, person_id: int, skill_id: int) -> SkillClaim | None:
    """The latest pending suggestion of the skill: confirming answers it."""
    return session.scalar(
        select(SkillClaim)
        .where(
            SkillClaim.person_id == person_id,
            SkillClaim.skill_id == skill_id,
            SkillClaim.source == "inferred",
            SkillClaim.status == "suggested",
        )
        .order_by(SkillClaim.claimed_on.desc())
        .limit(1)
    )


def _store_evidence(
    session: Session,
    claim_id: int,
    suggestion: SkillSuggestion,
    text: str,
    document: str,
    digest: str,
    now: datetime,
) -> None:
    # One reason per claim: the latest text that suggested it.
    for old in session.scalars(
        select(InferredClaimEvidence).where(InferredClaimEvidence.claim_id == claim_id)
    ):
        session.delete(old)
    session.flush()
    session.add(
        InferredClaimEvidence(
            claim_id=claim_id,
            esco_key=suggestion.esco_key,
            esco_label=suggestion.esco_label[:300],
            score=suggestion.score,
            document=document,
            text_digest=digest,
            span_start=suggestion.start,
            span_end=suggestion.end,
            span_text=text[suggestion.start : suggestion.end][:MAX_SPAN],
            inferred_at=now,
        )
    )
