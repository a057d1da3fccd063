"""`/api/v1/communities`, `/api/v1/events` and `/api/v1/mentoring`: communities of practice,
events with registration and a waiting list, and mentoring, as the pages run them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from mobilise.services.communities import (
    CommunitySpec,
    create_community,
    get_community,
    join_community,
    leave_community,
    list_communities,
)
from mobilise.services.events import (
    EVENT_KINDS,
    EventSpec,
    EventSummary,
    cancel_registration,
    create_event,
    get_event,
    list_events,
    mark_attendance,
    register,
    set_registration_open,
)
from mobilise.services.mentoring import ask_for_mentor, end_mentoring, my_mentoring, offer_to_mentor
from mobilise.services.mentoring_rounds import run_mentoring_round
from mobilise.web.access import SignedInActor
from mobilise.web.api.programmes import ERRORS, KEY_PATTERN, Created, Key
from mobilise.web.dependencies import EngineDep

router = APIRouter(prefix="/api/v1", tags=["communities"])
SkillKey = Annotated[str, Field(min_length=1, max_length=200)]


class CommunityOut(BaseModel):
    key: str
    name: str
    organisation: str | None = Field(description="Its owner's name; null: cross-government.")
    description: str
    topics: list[str]
    members: int
    is_member: bool


class CommunityDetailOut(CommunityOut):
    skills: list[str] = Field(description="Framework skill keys.")
    member_names: list[str] | None = Field(description="Names, for members and its runners.")


class CommunityIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    name: str = Field(min_length=1, max_length=300)
    organisation: str | None = Field(
        default=None, max_length=200, description="Null: cross-government (service admins)."
    )
    description: str = Field(default="", max_length=5000)
    topics: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=20)
    skills: list[SkillKey] = Field(default_factory=list, max_length=20)


class EventOut(BaseModel):
    key: str
    title: str
    kind: str
    community: str | None
    organisation: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int
    waiting: int
    registration_open: bool
    place: str = Field(description="Empty: online only.")
    online: bool
    your_state: str | None
    your_position: int | None = Field(description="On the waiting list, 1 first.")


class RegistrationOut(BaseModel):
    key: str
    name: str
    state: str
    position: int | None


class EventDetailOut(EventOut):
    summary: str
    registrations: list[RegistrationOut] | None = Field(description="Its organisers only.")


class EventIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    title: str = Field(min_length=1, max_length=300)
    organisation: str = Field(min_length=1, max_length=200, description="Who organises it.")
    kind: str = Field(default="meet-up", description="One of " + ", ".join(EVENT_KINDS))
    community: str | None = Field(default=None, max_length=200)
    starts_at: datetime = Field(description="With its UTC offset.")
    ends_at: datetime
    capacity: int = Field(ge=1, le=100_000)
    summary: str = Field(default="", max_length=5000)
    place: str = Field(default="", max_length=300, description="Empty: online only.")
    online: bool = False


class StateOut(BaseModel):
    state: str


class PromotedOut(BaseModel):
    promoted: int = Field(description="People given the freed place from the waiting list.")


class OpenIn(BaseModel):
    open: bool


class AttendanceIn(BaseModel):
    registration: str = Field(min_length=1, max_length=40)
    attended: bool


class OfferIn(BaseModel):
    skills: list[SkillKey] = Field(min_length=1, max_length=10)
    capacity: int = Field(ge=0, le=10, description="Mentees at a time; 0 pauses the offer.")
    availability: str = Field(default="", max_length=500)


class RequestIn(BaseModel):
    skills: list[SkillKey] = Field(min_length=1, max_length=10)
    goals: str = Field(min_length=1, max_length=2000)
    share_across_organisations: bool = Field(
        default=False, description="Let mentors in other organisations see the request."
    )


class MentoringOut(BaseModel):
    key: str
    role: str
    other: str
    state: str
    fit: float
    explanation: str
    goals: str
    started_at: datetime
    ended_at: datetime | None


class MentoringPageOut(BaseModel):
    offer: OfferIn | None
    request: RequestIn | None
    request_open: bool | None
    mentorings: list[MentoringOut]


class RoundIn(BaseModel):
    key: str = Field(min_length=1, max_length=100, pattern=KEY_PATTERN)
    organisation: str | None = Field(
        default=None, max_length=200, description="Null: cross-government (service admins)."
    )
    method: str = Field(default="stable", description="stable or welfare")
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class RoundOut(BaseModel):
    key: str
    run: str = Field(description="The stored allocation run.")
    method: str
    matched: int
    unmatched: int


class EndIn(BaseModel):
    reason: str = Field(default="", max_length=1000)


MentoringKey = Annotated[str, Path(min_length=1, max_length=40, pattern=KEY_PATTERN)]


@router.get(
    "/communities", response_model=list[CommunityOut], summary="Communities", responses=ERRORS
)
def communities(engine: EngineDep, actor: SignedInActor) -> list[CommunityOut]:
    return [CommunityOut(**vars(c)) for c in list_communities(engine, actor)]


@router.post(
    "/communities",
    response_model=Created,
    status_code=201,
    summary="Set up a community (its organisation's programme admins; service admins for "
    "cross-government ones)",
    responses=ERRORS,
)
def set_up_community(engine: EngineDep, actor: SignedInActor, body: CommunityIn) -> Created:
    spec = CommunitySpec(**body.model_dump())
    return Created(key=create_community(engine, actor, spec))


@router.get(
    "/communities/{key}", response_model=CommunityDetailOut, summary="A community", responses=ERRORS
)
def community(engine: EngineDep, actor: SignedInActor, key: Key) -> CommunityDetailOut:
    view = get_community(engine, actor, key)
    return CommunityDetailOut(
        **vars(view.summary), skills=[k for k, _ in view.skills], member_names=view.member_names
    )


@router.put("/communities/{key}/membership", status_code=204, summary="Join", responses=ERRORS)
def join(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    join_community(engine, actor, key)
    return Response(status_code=204)


@router.delete("/communities/{key}/membership", status_code=204, summary="Leave", responses=ERRORS)
def leave(engine: EngineDep, actor: SignedInActor, key: Key) -> Response:
    leave_community(engine, actor, key)
    return Response(status_code=204)


def _event_out(e: EventSummary) -> EventOut:
    return EventOut(
        key=e.key,
        title=e.title,
        kind=e.kind,
        community=e.community_key,
        organisation=e.organisation,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        place=e.place,
        online=e.online,
        capacity=e.capacity,
        taken=e.taken,
        waiting=e.waiting,
        registration_open=e.registration_open,
        your_state=e.your_state.value if e.your_state else None,
        your_position=e.your_position,
    )


@router.get(
    "/events",
    response_model=list[EventOut],
    summary="Events not yet ended, soonest first",
    responses=ERRORS,
)
def events(
    engine: EngineDep,
    actor: SignedInActor,
    community: Annotated[str | None, Query(max_length=200, pattern=KEY_PATTERN)] = None,
) -> list[EventOut]:
    return [_event_out(e) for e in list_events(engine, actor, community=community)]


@router.post(
    "/events",
    response_model=Created,
    status_code=201,
    summary="Set up an event, open for registration (its organisation's programme admins)",
    responses=ERRORS,
)
def set_up_event(engine: EngineDep, actor: SignedInActor, body: EventIn) -> Created:
    return Created(key=create_event(engine, actor, EventSpec(**body.model_dump())))


@router.get("/events/{key}", response_model=EventDetailOut, summary="An event", responses=ERRORS)
def event(engine: EngineDep, actor: SignedInActor, key: Key) -> EventDetailOut:
    view = get_event(engine, actor, key)
    rows = None
    if view.registrations is not None:
        rows = [
            RegistrationOut(key=r.key, name=r.name, state=r.state.value, position=r.position)
            for r in view.registrations
        ]
    return EventDetailOut(
        **_event_out(view.summary).model_dump(), summary=view.description, registrations=rows
    )


@router.put(
    "/events/{key}/registration",
    response_model=StateOut,
    summary="Register: a place if one is left, else the waiting list",
    responses=ERRORS,
)
def register_for(engine: EngineDep, actor: SignedInActor, key: Key) -> StateOut:
    return StateOut(state=register(engine, actor, key).value)


@router.delete(
    "/events/{key}/registration",
    response_model=PromotedOut,
    summary="Cancel; a freed place goes to the first person waiting",
    responses=ERRORS,
)
def cancel(engine: EngineDep, actor: SignedInActor, key: Key) -> PromotedOut:
    return PromotedOut(promoted=len(cancel_registration(engine, actor, key)))


@router.put(
    "/events/{key}/registration-open",
    status_code=204,
    summary="Open or close registration (its organisers)",
    responses=ERRORS,
)
def registration_open(engine: EngineDep, actor: SignedInActor, key: Key, body: OpenIn) -> Response:
    set_registration_open(engine, actor, key, body.open)
    return Response(status_code=204)


@router.post(
    "/events/{key}/attendance",
    response_model=StateOut,
    summary="Mark a registration attended or absent (its organisers, once it has started)",
    responses=ERRORS,
)
def attendance(engine: EngineDep, actor: SignedInActor, key: Key, body: AttendanceIn) -> StateOut:
    return StateOut(
        state=mark_attendance(engine, actor, key, body.registration, body.attended).value
    )


@router.get(
    "/mentoring", response_model=MentoringPageOut, summary="Your mentoring", responses=ERRORS
)
def mentoring(engine: EngineDep, actor: SignedInActor) -> MentoringPageOut:
    page = my_mentoring(engine, actor)
    offer = page.offer
    request = page.request
    return MentoringPageOut(
        offer=OfferIn(
            skills=offer.skill_keys, capacity=offer.capacity, availability=offer.availability
        )
        if offer
        else None,
        request=RequestIn(
            skills=request.skill_keys,
            goals=request.goals,
            share_across_organisations=request.share_across_organisations,
        )
        if request
        else None,
        request_open=request.open if request else None,
        mentorings=[
            MentoringOut(
                key=m.key,
                role=m.role,
                other=m.other,
                state=m.state.value,
                fit=m.fit,
                explanation=m.explanation,
                goals=m.goals,
                started_at=m.started_at,
                ended_at=m.ended_at,
            )
            for m in page.mentorings
        ],
    )


@router.put(
    "/mentoring/offer", status_code=204, summary="Offer to mentor (or change it)", responses=ERRORS
)
def offer(engine: EngineDep, actor: SignedInActor, body: OfferIn) -> Response:
    offer_to_mentor(engine, actor, body.skills, body.capacity, body.availability)
    return Response(status_code=204)


@router.put(
    "/mentoring/request",
    status_code=204,
    summary="Ask for a mentor (or change the request)",
    responses=ERRORS,
)
def request_mentor(engine: EngineDep, actor: SignedInActor, body: RequestIn) -> Response:
    ask_for_mentor(
        engine,
        actor,
        body.skills,
        body.goals,
        share_across_organisations=body.share_across_organisations,
    )
    return Response(status_code=204)


@router.post(
    "/mentoring/rounds",
    response_model=RoundOut,
    status_code=201,
    summary="Run a mentoring round by the engine (programme admins; service admins across "
    "government)",
    responses=ERRORS,
)
def run_round(engine: EngineDep, actor: SignedInActor, body: RoundIn) -> RoundOut:
    outcome = run_mentoring_round(
        engine,
        actor,
        body.key,
        organisation=body.organisation,
        method=body.method,
        seed=body.seed,
    )
    return RoundOut(
        key=outcome.key,
        run=outcome.run_key,
        method=outcome.method,
        matched=outcome.matched,
        unmatched=outcome.unmatched,
    )


@router.post(
    "/mentoring/{key}/end",
    status_code=204,
    summary="End a mentoring (either side); the other is told",
    responses=ERRORS,
)
def end(engine: EngineDep, actor: SignedInActor, key: MentoringKey, body: EndIn) -> Response:
    end_mentoring(engine, actor, key, body.reason)
    return Response(status_code=204)
