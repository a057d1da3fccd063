"""`/api/v1/hackathons` and `/api/v1/hackathon-teams`: the hackathon journey for API clients, as
the pages run it (set up, challenges, judges, sign-up, teams, submissions, scores, results)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field

from mobilise.services.hackathon_judging import public_results, score_team, submit, team_page
from mobilise.services.hackathon_signups import participants, revoke_share, sign_up, withdraw
from mobilise.services.hackathon_teams import (
    form_hackathon_teams,
    move_participant,
    set_team_challenge,
    teams_overview,
)
from mobilise.services.hackathon_transitions import change_hackathon
from mobilise.services.hackathons import (
    DEFAULT_HACKATHON_RUBRIC,
    HackathonSpec,
    HackathonSummary,
    add_challenge,
    add_judge,
    create_hackathon,
    get_hackathon,
    list_hackathons,
)
from mobilise.web.access import PUBLIC, SignedInActor
from mobilise.web.api.pagination import Cursor, Limit, Page, decode_cursor, next_link
from mobilise.web.api.programmes import ERRORS, KEY_PATTERN, Created, CriterionIn
from mobilise.web.dependencies import EngineDep
from mobilise.web.problems import Problem

router = APIRouter(prefix="/api/v1", tags=["hackathons"])
Key = Annotated[str, Path(min_length=1, max_length=200, pattern=KEY_PATTERN)]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No published results for this key."}
}


class HackathonOut(BaseModel):
    key: str
    title: str
    organisation: str
    state: str
    starts_on: date
    ends_on: date
    place: str
    online: bool
    capacity: int
    team_size: int
    participants: int


class ChallengeOut(BaseModel):
    key: str
    title: str
    summary: str
    register_entry: str | None = Field(description="The AI register entry it came from.")


class HackathonDetailOut(HackathonOut):
    summary: str
    challenges: list[ChallengeOut]
    rubric: list[dict[str, Any]]
    judges: list[str] = Field(description="Person keys (organisers only).")
    your_sign_up: str | None
    actions: list[str] = Field(description="The organisers' next steps.")


class HackathonIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    title: str = Field(min_length=1, max_length=300)
    organisation: str = Field(min_length=1, max_length=200, description="Who runs it.")
    starts_on: date
    ends_on: date
    capacity: int = Field(ge=1, le=10_000)
    team_size: int = Field(ge=2, le=12)
    summary: str = Field(default="", max_length=5000)
    place: str = Field(default="", max_length=300, description="Empty: online only.")
    online: bool = False
    rubric: list[CriterionIn] | None = Field(default=None, max_length=20)


class ChallengeIn(BaseModel):
    title: str = Field(default="", max_length=500)
    summary: str = Field(default="", max_length=5000)
    register_entry: str | None = Field(
        default=None, max_length=200, description="A published AI register entry's key."
    )


class PersonIn(BaseModel):
    person: str = Field(min_length=1, max_length=200)


class ActionIn(BaseModel):
    action: Literal[
        "open_sign_up", "publish_teams", "open_submissions", "start_judging", "publish_results"
    ]


class StateOut(BaseModel):
    state: str


class SignUpIn(BaseModel):
    preferences: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=3, description="Challenge keys, first choice first."
    )
    share: list[Literal["role", "skills", "learning"]] = Field(default_factory=list)
    consent: bool = Field(default=False, description="Needed to share anything.")
    show_name: bool = Field(default=False, description="Show your name on the public results.")


class ParticipantOut(BaseModel):
    key: str
    name: str
    preferences: list[str]
    team: int | None
    shared: dict[str, Any] = Field(description="What they share with you now.")


class TeamFactsOut(BaseModel):
    size: int
    organisations: int
    without_organisation: int
    skills: int
    chose_challenge: int
    notes: list[str]


class TeamOut(BaseModel):
    key: str
    number: int
    name: str
    challenge: str | None
    members: list[str] = Field(description="Names: organisers, and members of their own team.")
    make_up: TeamFactsOut
    rank: int | None


class TeamsOut(BaseModel):
    teams: list[TeamOut]
    unplaced: int
    engine_isolated: bool | None = Field(
        description="Organisers: the engine had to leave someone alone in a protected group "
        "when it last formed the teams (null: not formed, or not an organiser)."
    )
    moves_since: int = Field(description="Organisers: moves made since the engine formed them.")


class FormTeamsIn(BaseModel):
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class CountOut(BaseModel):
    teams: int


class MoveIn(BaseModel):
    participant: str = Field(min_length=1, max_length=40)
    team: int = Field(ge=1, le=10_000)


class TeamChallengeIn(BaseModel):
    team: int = Field(ge=1, le=10_000)
    challenge: str = Field(min_length=1, max_length=200)


class LinkIn(BaseModel):
    label: str = Field(default="", max_length=200)
    url: str = Field(min_length=1, max_length=1000)


class SubmissionIn(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    summary: str = Field(min_length=1, max_length=5000)
    links: list[LinkIn] = Field(default_factory=list, max_length=5)


class SubmissionOut(BaseModel):
    title: str
    summary: str
    links: list[dict[str, str]]


class TeamPageOut(BaseModel):
    key: str
    name: str
    hackathon: str
    challenge: str | None
    members: list[str]
    submission: SubmissionOut | None
    rank: int | None
    your_scores: dict[str, int] | None


class ScoresIn(BaseModel):
    points: dict[Annotated[str, Field(max_length=200)], Annotated[int, Field(ge=0, le=100)]] = (
        Field(max_length=50)
    )
    comment: str = Field(default="", max_length=2000)


class ScoredOut(BaseModel):
    total: float


class PublicTeamOut(BaseModel):
    rank: int | None
    name: str
    challenge: str | None
    submission: SubmissionOut | None
    names: list[str] = Field(description="Members who agreed to show their name.")
    others: int


class ResultsOut(BaseModel):
    hackathon: HackathonOut
    teams: list[PublicTeamOut]


def _out(h: HackathonSummary) -> dict[str, Any]:
    return {
        "key": h.key,
        "title": h.title,
        "organisation": h.organisation_key,
        "state": h.state.value,
        "starts_on": h.starts_on,
        "ends_on": h.ends_on,
        "place": h.place,
        "online": h.online,
        "capacity": h.capacity,
        "team_size": h.team_size,
        "participants": h.participants,
    }


@router.get(
    "/hackathons", response_model=list[HackathonOut], summary="Hackathons", responses=ERRORS
)
def hackathons(engine: EngineDep, actor: SignedInActor) -> list[HackathonOut]:
    return [HackathonOut(**_out(h)) for h in list_hackathons(engine, actor)]


@router.post(
    "/hackathons",
    response_model=Created,
    status_code=201,
    summary="Set up a hackathon, as a draft (programme admins of the organisation that runs it)",
    responses=ERRORS,
)
def set_up(engine: EngineDep, actor: SignedInActor, body: HackathonIn) -> Created:
    rubric = (
        DEFAULT_HACKATHON_RUBRIC if body.rubric is None else [c.model_dump() for c in body.rubric]
    )
    spec = HackathonSpec(
        key=body.key,
        title=body.title,
        organisation=body.organisation,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        capacity=body.capacity,
        team_size=body.team_size,
        summary=body.summary,
        place=body.place,
        online=body.online,
        rubric=rubric,
    )
    return Created(key=create_hackathon(engine, actor, spec))


@router.get(
    "/hackathons/{key}", response_model=HackathonDetailOut, summary="A hackathon", responses=ERRORS
)
def hackathon(engine: EngineDep, actor: SignedInActor, key: Key) -> HackathonDetailOut:
    view = get_hackathon(engine, actor, key)
    return HackathonDetailOut(
        **_out(view.summary),
        summary=view.description,
        challenges=[
            ChallengeOut(key=c.key, title=c.title, summary=c.summary, register_entry=c.project_key)
            for c in view.challenges
        ],
        rubric=view.rubric,
        judges=[k for k, _ in view.judges],
        your_sign_up=view.my_sign_up,
        actions=[a.value for a in view.actions],
    )


@router.post(
    "/hackathons/{key}/transitions",
    response_model=StateOut,
    summary="Move a hackathon to its next state (its organisers)",
    responses=ERRORS,
)
def transition(engine: EngineDep, actor: SignedInActor, key: Key, body: ActionIn) -> StateOut:
    return StateOut(state=change_hackathon(engine, actor, key, body.action).value)


@router.post(
    "/hackathons/{key}/challenges",
    response_model=Created,
    status_code=201,
    summary="Add a challenge, written or from an AI register entry (its organisers)",
    responses=ERRORS,
)
def challenge(engine: EngineDep, actor: SignedInActor, key: Key, body: ChallengeIn) -> Created:
    return Created(
        key=add_challenge(
            engine,
            actor,
            key,
            title=body.title,
            summary=body.summary,
            register_entry=body.register_entry,
        )
    )


@router.post(
    "/hackathons/{key}/judges",
    status_code=204,
    summary="Add a judge (its organisers)",
    responses=ERRORS,
)
def judge(engine: EngineDep, actor: SignedInActor, key: Key, body: PersonIn) -> Response:
    add_judge(engine, actor, key, body.person)
    return Response(status_code=204)


@router.post(
    "/hackathons/{key}/sign-ups",
    response_model=Created,
    status_code=201,
    summary="Sign up (anyone signed in as a person, with or without an organisation)",
    responses=ERRORS,
)
def sign_up_to(engine: EngineDep, actor: SignedInActor, key: Key, body: SignUpIn) -> Created:
    participant = sign_up(
        engine,
        actor,
        key,
        body.preferences,
        body.share,
        consent=body.consent,
        show_name=body.show_name,
    )
    return Created(key=participant)


@router.delete(
    "/hackathons/{key}/sign-ups/mine",
    status_code=204,
    summary="Withdraw your sign-up (while sign-up is open)",
    responses=ERRORS,
)
def withdraw_mine(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    withdraw(engine, actor, key)
    return Response(status_code=204)


@router.delete(
    "/hackathons/{key}/sign-ups/mine/share",
    status_code=204,
    summary="Stop sharing your profile with the organisers",
    responses=ERRORS,
)
def revoke_mine(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    revoke_share(engine, actor, key)
    return Response(status_code=204)


@router.get(
    "/hackathons/{key}/participants",
    response_model=Page[ParticipantOut],
    summary="Participants, with what each shares now (its organisers)",
    responses=ERRORS,
)
def participant_list(
    request: Request,
    engine: EngineDep,
    actor: SignedInActor,
    key: Key,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> dict[str, Any]:
    offset = 0 if cursor is None else max(0, int(decode_cursor(cursor, (int,))[0]))
    rows, total = participants(engine, actor, key, limit=limit, offset=offset)
    items = [
        ParticipantOut(
            key=p.key,
            name=p.name,
            preferences=p.preferences,
            team=p.team,
            shared={
                name: value
                for name, value in (
                    ("role", p.profile.role),
                    ("skills", [s[0] for s in p.profile.skills or []] or None),
                    ("learning", [i[0] for i in p.profile.learning or []] or None),
                )
                if value is not None
            },
        )
        for p in rows
    ]
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "next": next_link(request, [offset + limit] if offset + limit < total else None),
    }


@router.get(
    "/hackathons/{key}/teams",
    response_model=TeamsOut,
    summary="Teams with their make-up in aggregate",
    responses=ERRORS,
)
def teams(engine: EngineDep, actor: SignedInActor, key: Key) -> TeamsOut:
    overview = teams_overview(engine, actor, key)
    organising = get_hackathon(engine, actor, key).organises
    return TeamsOut(
        teams=[
            TeamOut(
                key=t.key,
                number=t.number,
                name=t.name,
                challenge=t.challenge_key,
                members=t.members,
                make_up=TeamFactsOut(
                    size=t.facts.size,
                    organisations=t.facts.organisations,
                    without_organisation=t.facts.without_organisation,
                    skills=t.facts.skills,
                    chose_challenge=t.facts.chose_challenge,
                    notes=t.facts.notes,
                ),
                rank=t.rank,
            )
            for t in overview.teams
        ],
        unplaced=overview.unplaced,
        engine_isolated=overview.engine_isolated if organising else None,
        moves_since=overview.moves_since,
    )


@router.post(
    "/hackathons/{key}/teams",
    response_model=CountOut,
    summary="Form (or form again) the draft teams with the engine (its organisers)",
    responses=ERRORS,
)
def form(engine: EngineDep, actor: SignedInActor, key: Key, body: FormTeamsIn) -> CountOut:
    return CountOut(teams=form_hackathon_teams(engine, actor, key, seed=body.seed))


@router.post(
    "/hackathons/{key}/teams/moves",
    status_code=204,
    summary="Move a participant to another draft team (its organisers)",
    responses=ERRORS,
)
def move(engine: EngineDep, actor: SignedInActor, key: Key, body: MoveIn) -> Response:
    move_participant(engine, actor, key, body.participant, body.team)
    return Response(status_code=204)


@router.post(
    "/hackathons/{key}/teams/challenges",
    status_code=204,
    summary="Set a draft team's challenge (its organisers)",
    responses=ERRORS,
)
def team_challenge(
    engine: EngineDep, actor: SignedInActor, key: Key, body: TeamChallengeIn
) -> Response:
    set_team_challenge(engine, actor, key, body.team, body.challenge)
    return Response(status_code=204)


@router.get(
    "/hackathons/{key}/results",
    response_model=ResultsOut,
    summary="The published results (public)",
    responses=NOT_FOUND,
    dependencies=[Depends(PUBLIC)],
)
def results(engine: EngineDep, key: Key) -> ResultsOut:
    found = public_results(engine, key)
    return ResultsOut(
        hackathon=HackathonOut(**_out(found.hackathon)),
        teams=[
            PublicTeamOut(
                rank=t.rank,
                name=t.name,
                challenge=t.challenge,
                submission=None if t.submission is None else SubmissionOut(**vars(t.submission)),
                names=t.names,
                others=t.others,
            )
            for t in found.teams
        ],
    )


@router.get(
    "/hackathon-teams/{key}",
    response_model=TeamPageOut,
    summary="A team (its members, organisers, and judges from submissions on)",
    responses=ERRORS,
)
def team(engine: EngineDep, actor: SignedInActor, key: Key) -> TeamPageOut:
    view = team_page(engine, actor, key)
    return TeamPageOut(
        key=view.key,
        name=view.name,
        hackathon=view.hackathon.key,
        challenge=view.challenge,
        members=view.members,
        submission=None if view.submission is None else SubmissionOut(**vars(view.submission)),
        rank=view.rank,
        your_scores=view.own_sheet,
    )


@router.put(
    "/hackathon-teams/{key}/submission",
    status_code=204,
    summary="Submit or replace the team's work (its members, while submissions are open)",
    responses=ERRORS,
)
def submission(engine: EngineDep, actor: SignedInActor, key: Key, body: SubmissionIn) -> Response:
    links = [(link.label, link.url) for link in body.links]
    submit(engine, actor, key, title=body.title, summary=body.summary, links=links)
    return Response(status_code=204)


@router.put(
    "/hackathon-teams/{key}/scores",
    response_model=ScoredOut,
    summary="Your score sheet for the team (its judges, while judging)",
    responses=ERRORS,
)
def scores(engine: EngineDep, actor: SignedInActor, key: Key, body: ScoresIn) -> ScoredOut:
    return ScoredOut(total=score_team(engine, actor, key, body.points, body.comment))
