"""Bring a database to a usable state: schema, default framework, organisations, demo workforce."""

from __future__ import annotations

from sqlalchemy import Engine

from mobilise.services import (
    community_demo,
    demo,
    framework,
    guidance,
    hackathon_demo,
    impact_demo,
    learning,
    marketplace_demo,
    organisations,
    programme_demo,
    register,
    register_transfer,
)
from mobilise.services.jobs import jobs_database_url, prepare_jobs_database
from mobilise.store import schema


def prepare(engine: Engine, *, demo_people: int, seed: int) -> list[str]:
    """Idempotent: migrate, then load whatever default data an empty database lacks."""
    report: list[str] = []
    schema.upgrade(engine)
    report.append(f"Database at revision {schema.current_revision(engine)}.")
    # The job queue's tables too, so that no web process makes them on its first enqueue.
    prepare_jobs_database(jobs_database_url(engine))
    if framework.ensure_default_framework(engine):
        report.append("Loaded the DDaT capability framework.")
    added = organisations.ensure_default_organisations(engine)
    if added:
        report.append(f"Loaded {added} organisations.")
    # Public guidance (links and summaries written here), in every database: not demo data.
    seeded = guidance.seed_guidance(engine)
    if seeded:
        report.append(f"Loaded {seeded} items of public guidance.")
    if demo_people and demo.workforce_is_empty(engine):
        result = demo.generate_demo(engine, people=demo_people, seed=seed)
        report.append(f"Generated a demo workforce of {result.people} people.")
    # Demo databases only (as the workforce): production defaults never hold synthetic courses.
    if demo_people and learning.catalogue_is_empty(engine):
        items = learning.generate_demo_catalogue(engine, seed=seed).created
        report.append(f"Generated a demo learning catalogue of {items} items.")
    if demo_people and programme_demo.programmes_are_empty(engine):
        applied = programme_demo.generate_demo_programmes(engine, seed=seed)
        # Past pilot cohorts with a planted effect, for the impact pages (docs/impact.md).
        impact_demo.generate_impact_history(engine, seed=seed)
        report.append(f"Generated four demo programmes with {applied} applications.")
    if demo_people and marketplace_demo.marketplace_is_empty(engine):
        made = marketplace_demo.generate_demo_marketplace(engine, seed=seed)
        report.append(
            f"Generated a demo marketplace of {made.opportunities} opportunities with "
            f"{made.applications} applications."
        )
    # The published ATRS records are public data, but only demo databases get them unasked.
    if demo_people and register.register_is_empty(engine):
        loaded = register_transfer.import_register(engine)
        report.append(
            f"Loaded the AI project register: {loaded.created} published transparency records."
        )
    # After the register: the demo hackathons' challenges come from its entries.
    if demo_people and hackathon_demo.hackathons_are_empty(engine):
        events = hackathon_demo.generate_demo_hackathons(engine, seed=seed)
        report.append(
            f"Generated {events.hackathons} demo hackathons with {events.participants} "
            "participants."
        )
    if demo_people and community_demo.communities_are_empty(engine):
        gathered = community_demo.generate_demo_communities(engine, seed=seed)
        report.append(
            f"Generated {gathered.communities} demo communities, {gathered.events} events with "
            f"{gathered.registrations} registrations and {gathered.mentorings} mentorings."
        )
    return report
