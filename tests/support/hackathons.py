"""A hackathon to run journeys on, over tests/support/programmes.py's people.

Department A organises "ai-hack" (teams of three, ten places); `admin` (of A) is its programme
admin, `judge` (of agency B) and `boss` judge it. It has two challenges: one written for the
event, one made from the published AI register entry "benefits-triage" (of A). Nobody has signed
up yet; it is open for sign-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine

from mobilise.services.actors import Actor, Role
from mobilise.services.hackathon_transitions import change_hackathon
from mobilise.services.hackathons import HackathonSpec, add_challenge, add_judge, create_hackathon
from tests.support.programmes import ProgrammeSetup, add_programme
from tests.support.register_projects import add_project

HACKATHON = "ai-hack"
ENTRY = "benefits-triage"


@dataclass(frozen=True)
class HackathonSetup:
    programme: ProgrammeSetup
    written: str  # challenge keys
    from_register: str

    def actor(self, engine: Engine, person: str, *roles: Role) -> Actor:
        return self.programme.actor(engine, person, *roles)


def add_hackathon(
    engine: Engine, *, capacity: int = 10, open_sign_up: bool = True
) -> HackathonSetup:
    programme = add_programme(engine)
    add_project(
        engine,
        ENTRY,
        programme.workforce.org_a,
        "Benefits claims triage",
        "A model that sorts incoming benefit claims by urgency for caseworkers.",
    )
    admin = programme.actor(engine, "admin", Role.PROGRAMME_ADMIN)
    starts = date.today() + timedelta(days=14)
    create_hackathon(
        engine,
        admin,
        HackathonSpec(
            key=HACKATHON,
            title="AI for public services hack",
            organisation="dept-a",
            starts_on=starts,
            ends_on=starts + timedelta(days=1),
            capacity=capacity,
            team_size=3,
            place="Manchester",
            online=True,
        ),
    )
    written = add_challenge(
        engine,
        admin,
        HACKATHON,
        title="Find duplicate records",
        summary="Match people across two registers.",
    )
    from_register = add_challenge(engine, admin, HACKATHON, register_entry=ENTRY)
    add_judge(engine, admin, HACKATHON, "judge")
    add_judge(engine, admin, HACKATHON, "boss")
    if open_sign_up:
        change_hackathon(engine, admin, HACKATHON, "open_sign_up")
    return HackathonSetup(programme, written, from_register)
