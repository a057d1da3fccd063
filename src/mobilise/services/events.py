"""Events (conferences, AI Insights sessions, community meet-ups): set up by an organisation's
programme admins, registered for by anyone signed in with a profile, with a waiting list.

Capacity is never exceeded, however many register at once: every registration and cancellation
first writes to the event's row (`_lock_event`), which on PostgreSQL takes the row lock and on
SQLite the database's write lock, so the count of places taken that follows is the committed one
and no other request changes it before this transaction ends. A cancelled place goes to the first
person waiting in the same transaction, and they are told through the outbox. Registration closes
when the event starts (or when its organisers close it); after it starts its organisers mark who
attended.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from mobilise.core.communities import (
    RegistrationAction,
    RegistrationState,
    first_waiting,
    joins_as,
    next_registration_state,
)
from mobilise.core.communities.calendar import CalendarEvent, calendar_document
from mobilise.core.problems import InvalidInput, Problem
from mobilise.services.actors import Actor
from mobilise.services.audit import NotPermitted, record_event
from mobilise.services.catalogue import UnknownKey
from mobilise.services.communities import find_community
from mobilise.services.opportunities import acting_organisation, key_problems, owns_organisation
from mobilise.services.outbox import notify
from mobilise.store.database import reading, transaction
from mobilise.store.models import (
    Community,
    CommunityEvent,
    EventRegistration,
    Organisation,
    Person,
)

R = RegistrationState
RA = RegistrationAction
EVENT_KINDS = ("conference", "ai-insights", "meet-up", "workshop")
PLACES = (R.REGISTERED.value, R.ATTENDED.value, R.ABSENT.value)


class EventNotFound(UnknownKey):
    def __init__(self, key: str) -> None:
        super().__init__("event", key)


def now() -> datetime:
    return datetime.now(UTC)


def utc(value: datetime) -> datetime:
    """SQLite hands back naive UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class EventSpec:
    key: str
    title: str
    organisation: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    kind: str = "meet-up"
    community: str | None = None
    summary: str = ""
    place: str = ""  # empty: online only
    online: bool = False


@dataclass(frozen=True)
class EventSummary:
    key: str
    title: str
    kind: str
    community_key: str | None
    community_name: str | None
    organisation: str
    starts_at: datetime
    ends_at: datetime
    place: str
    online: bool
    capacity: int
    taken: int
    waiting: int
    registration_open: bool  # open and not yet started
    your_state: RegistrationState | None
    your_position: int | None  # on the waiting list, 1 first


@dataclass(frozen=True)
class RegistrationRow:
    key: str
    name: str
    state: RegistrationState
    position: int | None


@dataclass(frozen=True)
class EventView:
    summary: EventSummary
    description: str
    organiser: bool
    started: bool
    registrations: list[RegistrationRow] | None  # organisers only


def _taken(session: Session, event: CommunityEvent) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                EventRegistration.event_id == event.id, EventRegistration.state.in_(PLACES)
            )
        )
        or 0
    )


def _waiting(session: Session, event: CommunityEvent) -> list[EventRegistration]:
    return list(
        session.scalars(
            select(EventRegistration)
            .where(
                EventRegistration.event_id == event.id,
                EventRegistration.state == R.WAITING.value,
            )
            .order_by(EventRegistration.waiting_position, EventRegistration.id)
        )
    )


def find_event(session: Session, key: str) -> CommunityEvent:
    found = session.scalar(select(CommunityEvent).where(CommunityEvent.key == key))
    if found is None:
        raise EventNotFound(key)
    return found


def _lock_event(session: Session, key: str) -> CommunityEvent:
    """The event, with its row written first so concurrent registrations take turns."""
    session.execute(
        update(CommunityEvent)
        .where(CommunityEvent.key == key)
        .values(capacity=CommunityEvent.capacity)
    )
    return find_event(session, key)


def has_started(event: CommunityEvent, at: datetime | None = None) -> bool:
    return (at or now()) >= utc(event.starts_at)


def _spec_problems(spec: EventSpec) -> list[Problem]:
    source = f"event {spec.key}"
    problems = key_problems(source, spec.key)
    if not spec.title.strip() or len(spec.title) > 300:
        problems.append(Problem(source, None, "title", spec.title, "must be 1-300 characters"))
    if spec.kind not in EVENT_KINDS:
        rule = "must be one of " + ", ".join(EVENT_KINDS)
        problems.append(Problem(source, None, "kind", spec.kind, rule))
    if not 1 <= spec.capacity <= 100_000:
        rule = "must be 1-100,000"
        problems.append(Problem(source, None, "capacity", str(spec.capacity), rule))
    if spec.starts_at.tzinfo is None or spec.ends_at.tzinfo is None:
        rule = "must carry its UTC offset"
        problems.append(Problem(source, None, "starts_at", spec.starts_at.isoformat(), rule))
    elif spec.ends_at < spec.starts_at:
        rule = "must not be before starts_at"
        problems.append(Problem(source, None, "ends_at", spec.ends_at.isoformat(), rule))
    if not spec.place.strip() and not spec.online:
        rule = "an event is somewhere, online or both"
        problems.append(Problem(source, None, "place", spec.place, rule))
    return problems


def create_event(engine: Engine, actor: Actor, spec: EventSpec) -> str:
    """Set up an event, open for registration (its organisation's programme admins)."""
    source = f"event {spec.key}"
    problems = _spec_problems(spec)
    with transaction(engine) as session:
        organisation = acting_organisation(session, actor, spec.organisation, source, problems)
        community_id = None
        if spec.community is not None:
            community_id = find_community(session, spec.community).id
        if session.scalar(select(CommunityEvent.id).where(CommunityEvent.key == spec.key)):
            problems.append(Problem(source, None, "key", spec.key, "is taken"))
        if problems or organisation is None:
            raise InvalidInput(problems)
        session.add(
            CommunityEvent(
                key=spec.key,
                community_id=community_id,
                organisation_id=organisation.id,
                kind=spec.kind,
                title=spec.title.strip(),
                summary=spec.summary.strip(),
                starts_at=spec.starts_at.astimezone(UTC),
                ends_at=spec.ends_at.astimezone(UTC),
                place=spec.place.strip(),
                online=spec.online,
                capacity=spec.capacity,
                registration_open=True,
                created_at=now(),
            )
        )
        record_event(
            session,
            actor,
            "event.created",
            entity_type="event",
            entity_key=spec.key,
            organisation_id=organisation.id,
            after={"title": spec.title, "capacity": spec.capacity, "community": spec.community},
        )
    return spec.key


def _summary(session: Session, actor: Actor, event: CommunityEvent) -> EventSummary:
    community = session.get(Community, event.community_id) if event.community_id else None
    organisation = session.get(Organisation, event.organisation_id)
    waiting = _waiting(session, event)
    mine = None
    if actor.person_id is not None:
        mine = session.scalar(
            select(EventRegistration).where(
                EventRegistration.event_id == event.id,
                EventRegistration.person_id == actor.person_id,
            )
        )
    position = None
    if mine is not None and mine.state == R.WAITING.value:
        position = [w.id for w in waiting].index(mine.id) + 1
    return EventSummary(
        key=event.key,
        title=event.title,
        kind=event.kind,
        community_key=community.key if community else None,
        community_name=community.name if community else None,
        organisation=organisation.name if organisation else "",
        starts_at=utc(event.starts_at),
        ends_at=utc(event.ends_at),
        place=event.place,
        online=event.online,
        capacity=event.capacity,
        taken=_taken(session, event),
        waiting=len(waiting),
        registration_open=event.registration_open and not has_started(event),
        your_state=R(mine.state) if mine else None,
        your_position=position,
    )


def list_events(
    engine: Engine, actor: Actor, *, community: str | None = None, upcoming: bool = True
) -> list[EventSummary]:
    """Events soonest first: those not yet ended (or every one), of a community or all."""
    with reading(engine) as session:
        query = select(CommunityEvent).order_by(CommunityEvent.starts_at, CommunityEvent.key)
        if community is not None:
            query = query.where(
                CommunityEvent.community_id == find_community(session, community).id
            )
        if upcoming:
            query = query.where(CommunityEvent.ends_at >= now())
        return [_summary(session, actor, e) for e in session.scalars(query)]


def get_event(engine: Engine, actor: Actor, key: str) -> EventView:
    with reading(engine) as session:
        event = find_event(session, key)
        organiser = owns_organisation(actor, event.organisation_id)
        rows = None
        if organiser:
            rows = []
            found = session.execute(
                select(EventRegistration, Person.display_name)
                .join(Person, Person.id == EventRegistration.person_id)
                .where(EventRegistration.event_id == event.id)
                .order_by(EventRegistration.registered_at, EventRegistration.id)
            ).all()
            queue = {r.id: i for i, r in enumerate(_waiting(session, event), start=1)}
            for registration, name in found:
                position = queue.get(registration.id)
                rows.append(
                    RegistrationRow(registration.key, name, R(registration.state), position)
                )
        return EventView(
            _summary(session, actor, event), event.summary, organiser, has_started(event), rows
        )


def _tell(
    session: Session, registration: EventRegistration, event: CommunityEvent, position: int = 0
) -> None:
    person = session.get(Person, registration.person_id)
    if person is None:
        return
    when = f"{utc(event.starts_at):%-d %B %Y at %H:%M} UTC"
    subjects = {
        R.REGISTERED: (
            f"You have a place at {event.title}",
            f"You have a place at {event.title} on {when}.",
        ),
        R.WAITING: (
            f"You are on the waiting list for {event.title}",
            f"{event.title} is full. You are number {position} on its waiting list; if a place "
            "comes free it goes to the first person waiting and you will be told.",
        ),
        R.CANCELLED: (
            f"You cancelled your registration for {event.title}",
            f"You are no longer registered for {event.title}.",
        ),
    }
    title, body = subjects[R(registration.state)]
    notify(session, person, f"event.{registration.state}", title, body, f"/events/{event.key}")


def _step(
    session: Session,
    actor: Actor,
    registration: EventRegistration,
    event: CommunityEvent,
    action: RegistrationAction,
    before: RegistrationState | None,
) -> RegistrationState:
    after = next_registration_state(before, action, subject=f"registration for {event.key}")
    registration.state = after.value
    registration.updated_at = now()
    if after is R.WAITING:
        last = session.scalar(
            select(func.max(EventRegistration.waiting_position)).where(
                EventRegistration.event_id == event.id
            )
        )
        registration.waiting_position = (last or 0) + 1
    else:
        registration.waiting_position = None
    session.flush()
    record_event(
        session,
        actor,
        f"event_registration.{action.value}",
        entity_type="event_registration",
        entity_key=registration.key,
        organisation_id=event.organisation_id,
        before={"state": before.value if before else None},
        after={"state": after.value, "event": event.key},
    )
    return after


def _open_for_registration(event: CommunityEvent) -> None:
    source = f"event {event.key}"
    if has_started(event):
        rule = "registration closed when the event started"
        raise InvalidInput([Problem(source, None, "event", event.key, rule)])
    if not event.registration_open:
        rule = "registration is closed by its organisers"
        raise InvalidInput([Problem(source, None, "event", event.key, rule)])


def register(engine: Engine, actor: Actor, key: str) -> RegistrationState:
    """A place if one is left, else the waiting list; registering twice changes nothing."""
    if actor.person_id is None:
        raise NotPermitted("only people with a profile register for events")
    with transaction(engine) as session:
        event = _lock_event(session, key)
        _open_for_registration(event)
        registration = session.scalar(
            select(EventRegistration).where(
                EventRegistration.event_id == event.id,
                EventRegistration.person_id == actor.person_id,
            )
        )
        before = R(registration.state) if registration else None
        if before in (R.REGISTERED, R.WAITING):
            return before
        if registration is None:
            registration = EventRegistration(
                key="reg-" + uuid.uuid4().hex[:16],
                event_id=event.id,
                person_id=actor.person_id,
                state=R.CANCELLED.value,  # replaced by the step below
                registered_at=now(),
                updated_at=now(),
            )
            session.add(registration)
        else:
            registration.registered_at = now()
        after = _step(
            session,
            actor,
            registration,
            event,
            joins_as(_taken(session, event), event.capacity),
            before,
        )
        position = len(_waiting(session, event)) if after is R.WAITING else 0
        _tell(session, registration, event, position)
        return after


def _promote_waiting(session: Session, actor: Actor, event: CommunityEvent) -> list[str]:
    """Give each free place to the first person waiting; the keys of those promoted."""
    promoted: list[str] = []
    while _taken(session, event) < event.capacity:
        waiting = {r.key: r for r in _waiting(session, event)}
        chosen = first_waiting({k: r.waiting_position or 0 for k, r in waiting.items()})
        if chosen is None:
            break
        registration = waiting[chosen]
        _step(session, actor, registration, event, RA.PROMOTE, R.WAITING)
        person = session.get(Person, registration.person_id)
        if person is not None:
            notify(
                session,
                person,
                "event.promoted",
                f"A place came free: you have a place at {event.title}",
                f"Someone cancelled and you were first on the waiting list for {event.title}. "
                "If you cannot come, cancel so the next person gets the place.",
                f"/events/{event.key}",
            )
        promoted.append(chosen)
    return promoted


def cancel_registration(engine: Engine, actor: Actor, key: str) -> list[str]:
    """Cancel the actor's place or place in the queue; the freed place goes to the first person
    waiting in the same transaction. Returns the keys of registrations promoted."""
    if actor.person_id is None:
        raise NotPermitted("only people with a profile register for events")
    with transaction(engine) as session:
        event = _lock_event(session, key)
        if has_started(event):
            rule = "cannot be cancelled once the event has started"
            raise InvalidInput([Problem(f"event {key}", None, "registration", key, rule)])
        registration = session.scalar(
            select(EventRegistration).where(
                EventRegistration.event_id == event.id,
                EventRegistration.person_id == actor.person_id,
            )
        )
        if registration is None:
            rule = "you are not registered for this event"
            raise InvalidInput([Problem(f"event {key}", None, "registration", key, rule)])
        _step(session, actor, registration, event, RA.CANCEL, R(registration.state))
        _tell(session, registration, event)
        return _promote_waiting(session, actor, event)


def set_registration_open(engine: Engine, actor: Actor, key: str, is_open: bool) -> None:
    """Its organisers open or close registration (people already registered or waiting keep it)."""
    with transaction(engine) as session:
        event = _lock_event(session, key)
        if not owns_organisation(actor, event.organisation_id):
            raise NotPermitted("only the event's organisers open or close its registration")
        before = event.registration_open
        event.registration_open = is_open
        record_event(
            session,
            actor,
            "event.registration_opened" if is_open else "event.registration_closed",
            entity_type="event",
            entity_key=key,
            organisation_id=event.organisation_id,
            before={"registration_open": before},
            after={"registration_open": is_open},
        )


def mark_attendance(
    engine: Engine, actor: Actor, key: str, registration_key: str, attended: bool
) -> RegistrationState:
    """Its organisers mark a person with a place as attended or absent, once it has started."""
    with transaction(engine) as session:
        event = find_event(session, key)
        if not owns_organisation(actor, event.organisation_id):
            raise NotPermitted("only the event's organisers mark attendance")
        source = f"event {key}"
        if not has_started(event):
            rule = "attendance is marked once the event has started"
            raise InvalidInput([Problem(source, None, "registration", registration_key, rule)])
        registration = session.scalar(
            select(EventRegistration).where(
                EventRegistration.event_id == event.id, EventRegistration.key == registration_key
            )
        )
        if registration is None:
            rule = "names no registration for this event"
            raise InvalidInput([Problem(source, None, "registration", registration_key, rule)])
        action = RA.MARK_ATTENDED if attended else RA.MARK_ABSENT
        return _step(session, actor, registration, event, action, R(registration.state))


def event_calendar(engine: Engine, key: str, base_url: str) -> str:
    """The event as an iCalendar document (anyone signed in may add an event to their calendar)."""
    with reading(engine) as session:
        event = find_event(session, key)
        place = ", ".join(p for p in (event.place, "online" if event.online else "") if p)
        return calendar_document(
            CalendarEvent(
                uid=f"{event.key}@mobilise",
                title=event.title,
                description=event.summary,
                starts_at=utc(event.starts_at),
                ends_at=utc(event.ends_at),
                location=place,
                url=f"{base_url.rstrip('/')}/events/{event.key}",
                stamped_at=utc(event.created_at),
            )
        )
