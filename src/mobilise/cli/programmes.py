"""`mobilise programmes`: programmes and cohorts for operators — list, show, move a cohort
through its states, run its selection, add panel members, list applications, generate the demo
programmes, and deliver the notification outbox."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from mobilise.cli.context import engine, err, out, reporting_bad_input
from mobilise.core.problems import InvalidInput, Problem
from mobilise.core.programmes import CohortAction
from mobilise.services import outbox, programme_demo
from mobilise.services.actors import command_line_actor
from mobilise.services.audit import NotPermitted
from mobilise.services.cohort_projects import (
    offer_project,
    projects_offered_to,
    withdraw_project_offer,
)
from mobilise.services.cohort_selection import run_selection
from mobilise.services.documents import read_json_document
from mobilise.services.programme_views import get_cohort, list_programmes
from mobilise.services.programmes import (
    DEFAULT_RUBRIC,
    CohortSpec,
    CurriculumEntry,
    ProgrammeSpec,
    add_panel_member,
    change_cohort,
    create_programme,
    open_cohort,
)
from mobilise.services.selection_panel import cohort_applications
from mobilise.settings import get_settings

app = typer.Typer(help="Programmes, cohorts and applications.", no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """Programmes with their cohorts and progress towards any target."""
    table = Table()
    for heading in ("programme", "cohort", "state", "starts", "places"):
        table.add_column(heading)
    for programme in list_programmes(engine(), command_line_actor()):
        target = (
            f" — {programme.placed:,} of {programme.target_people:,} by {programme.target_year}"
            if programme.target_people
            else ""
        )
        table.add_row(f"{programme.key}{target}", "", "", "", "")
        for cohort in programme.cohorts:
            table.add_row(
                "",
                cohort.key,
                cohort.state.value,
                cohort.starts_on.isoformat(),
                str(cohort.capacity),
            )
    out.print(table)


@app.command()
def show(cohort: str = typer.Argument(..., help="The cohort's key.")) -> None:
    """A cohort: eligibility, curriculum, panel and applications by state."""
    with reporting_bad_input():
        view = get_cohort(engine(), command_line_actor(), cohort)
    s = view.summary
    out.print(
        f"{s.name} ({s.programme_name}): {s.state.value}, {s.capacity} places, "
        f"{s.starts_on} to {s.ends_on}",
        highlight=False,
    )
    for line in view.eligibility_lines or ["Open to everyone"]:
        out.print(f"  eligibility: {line}", highlight=False)
    for item in view.curriculum:
        out.print(
            f"  module: {item.key}{' (mandatory)' if item.mandatory else ''}", highlight=False
        )
    out.print(f"  panel: {', '.join(k for k, _ in view.panel) or 'none'}", highlight=False)
    out.print(f"  applications: {view.counts or 'none'}", highlight=False)
    if view.selection_run_key:
        out.print(f"  selection run: {view.selection_run_key}", highlight=False)


def _json_list(path: Path | None, what: str) -> list[Any]:
    if path is None:
        return []
    document = read_json_document(path)
    if not isinstance(document, list):
        raise InvalidInput([Problem(str(path), None, what, None, "must be a JSON list")])
    return document


@app.command()
def create(
    key: str = typer.Argument(..., help="The programme's key, e.g. ai-accelerator."),
    name: str = typer.Option(..., "--name", help="Its name."),
    kind: str = typer.Option(
        ..., "--kind", help="accelerator, apprenticeship, academy or leadership."
    ),
    organisation: str = typer.Option(
        ..., "--organisation", help="Key of the organisation that runs it."
    ),
    summary: str = typer.Option("", "--summary"),
    rubric: Path | None = typer.Option(
        None, "--rubric", help="JSON list of criteria (default: the standard three)."
    ),
    quotas: Path | None = typer.Option(None, "--quotas", help="JSON list of the engine's quotas."),
    waiting: int | None = typer.Option(
        None, "--waiting", min=0, help="Waiting-list size (default: the places)."
    ),
    attendance: float = typer.Option(
        0.8, "--attendance", help="Share of sessions needed to complete, 0 to 1."
    ),
    target: int | None = typer.Option(
        None, "--target", min=1, help="Target number of people placed."
    ),
    target_year: int | None = typer.Option(None, "--target-year"),
) -> None:
    """Set up a programme."""
    with reporting_bad_input():
        spec = ProgrammeSpec(
            key=key,
            name=name,
            kind=kind,
            organisation=organisation,
            summary=summary,
            rubric=_json_list(rubric, "rubric") if rubric else DEFAULT_RUBRIC,
            quotas=_json_list(quotas, "quotas"),
            waiting_list_size=waiting,
            min_attendance=attendance,
            target_people=target,
            target_year=target_year,
        )
        created = create_programme(engine(), None, spec)
    out.print(f"Programme {created} is set up.", highlight=False)


@app.command("open-cohort")
def open_cohort_(
    programme: str = typer.Argument(..., help="The programme's key."),
    key: str = typer.Argument(..., help="The cohort's key."),
    name: str = typer.Option(..., "--name"),
    starts: datetime = typer.Option(..., "--starts", formats=["%Y-%m-%d"]),
    ends: datetime = typer.Option(..., "--ends", formats=["%Y-%m-%d"]),
    places: int = typer.Option(..., "--places", min=0),
    closes: datetime | None = typer.Option(
        None, "--closes", formats=["%Y-%m-%d"], help="Last day to apply."
    ),
    eligibility: Path | None = typer.Option(
        None, "--eligibility", help="JSON rule (docs/programmes.md)."
    ),
    module: list[str] = typer.Option([], "--module", help="A learning item's key; repeat."),
    mandatory: list[str] = typer.Option([], "--mandatory", help="A mandatory item's key; repeat."),
) -> None:
    """Open a cohort of a programme to applications."""
    with reporting_bad_input():
        rule: Any = read_json_document(eligibility) if eligibility else {}
        if not isinstance(rule, dict):
            raise InvalidInput(
                [Problem(str(eligibility), None, "eligibility", None, "must be a JSON object")]
            )
        spec = CohortSpec(
            key=key,
            name=name,
            starts_on=starts.date(),
            ends_on=ends.date(),
            capacity=places,
            applications_close_on=closes.date() if closes else None,
            eligibility=rule,
            curriculum=[CurriculumEntry(i, True) for i in mandatory]
            + [CurriculumEntry(i) for i in module],
        )
        opened = open_cohort(engine(), None, programme, spec)
    out.print(f"Cohort {opened} is open.", highlight=False)


def _cohort_action(cohort: str, action: CohortAction) -> None:
    with reporting_bad_input():
        state = change_cohort(engine(), None, cohort, action)
    out.print(f"{cohort} is {state.value}.")


@app.command()
def close(cohort: str = typer.Argument(..., help="The cohort's key.")) -> None:
    """Close a cohort to applications."""
    _cohort_action(cohort, CohortAction.CLOSE)


@app.command()
def start(cohort: str = typer.Argument(..., help="The cohort's key.")) -> None:
    """Start a selected cohort (the waiting list ends)."""
    _cohort_action(cohort, CohortAction.START)


@app.command()
def finish(cohort: str = typer.Argument(..., help="The cohort's key.")) -> None:
    """Finish a running cohort."""
    _cohort_action(cohort, CohortAction.FINISH)


@app.command()
def select(
    cohort: str = typer.Argument(..., help="The cohort's key."),
    seed: int = typer.Option(0, "--seed", help="The allocation engine's seed."),
) -> None:
    """Run a closed cohort's selection with the allocation engine and publish the offers."""
    with reporting_bad_input():
        result = run_selection(engine(), None, cohort, seed=seed)
    out.print(
        f"Run {result.run_key} ({result.method}): {len(result.offered)} offered, "
        f"{len(result.waiting)} waiting, {len(result.not_selected)} not selected, "
        f"{len(result.lapsed)} not released in time.",
        highlight=False,
    )


@app.command("panel-add")
def panel_add(
    cohort: str = typer.Argument(..., help="The cohort's key."),
    person: str = typer.Argument(..., help="The person's key."),
) -> None:
    """Put a person on a cohort's selection panel."""
    with reporting_bad_input():
        add_panel_member(engine(), None, cohort, person)
    out.print(f"{person} is on the panel of {cohort}.")


@app.command("offer-project")
def offer_project_(
    cohort: str = typer.Argument(..., help="The cohort's key."),
    project: str = typer.Argument(..., help="The published register project's key."),
) -> None:
    """Offer a published register project to a cohort's participants."""
    with reporting_bad_input():
        offer_project(engine(), command_line_actor(), cohort, project)
    out.print(f"{project} is on offer to {cohort}.")


@app.command("withdraw-project")
def withdraw_project(
    cohort: str = typer.Argument(..., help="The cohort's key."),
    project: str = typer.Argument(..., help="The register project's key."),
) -> None:
    """Take a register project off a cohort's offer."""
    with reporting_bad_input():
        withdraw_project_offer(engine(), command_line_actor(), cohort, project)
    out.print(f"{project} is not on offer to {cohort}.")


@app.command()
def projects(cohort: str = typer.Argument(..., help="The cohort's key.")) -> None:
    """The register projects on offer to a cohort."""
    with reporting_bad_input():
        offered = projects_offered_to(engine(), cohort)
    for project in offered:
        organisation = project.organisation_name or "organisation not stated"
        out.print(f"{project.key}  {project.title} ({organisation})", highlight=False)
    if not offered:
        out.print(f"No projects on offer to {cohort}.")


@app.command()
def applications(
    cohort: str = typer.Argument(..., help="The cohort's key."),
    limit: int = typer.Option(50, min=1, max=1000, help="Rows to show."),
) -> None:
    """A cohort's applications, in selection order once selected."""
    with reporting_bad_input():
        rows, total = cohort_applications(engine(), command_line_actor(), cohort, limit=limit)
    table = Table()
    for heading in ("application", "person", "state", "sheets", "score", "waiting"):
        table.add_column(heading)
    for row in rows:
        a = row.application
        table.add_row(
            a.key,
            a.person_key,
            a.state.value,
            str(row.sheets),
            "" if a.score is None else f"{a.score:.1f}",
            str(a.waiting_position or ""),
        )
    out.print(table)
    out.print(f"{len(rows)} of {total} application(s).")


@app.command()
def demo(
    seed: int | None = typer.Option(None, "--seed", help="Default: MOBILISE_DEMO_SEED."),
) -> None:
    """Generate the four demo programmes (once) over the demo workforce."""
    database = engine()
    if not programme_demo.programmes_are_empty(database):
        err.print("[bold red]Refused:[/] programmes exist already.", highlight=False)
        raise typer.Exit(2)
    with reporting_bad_input():
        applied = programme_demo.generate_demo_programmes(
            database, seed=get_settings().demo_seed if seed is None else seed
        )
    out.print(f"Generated four demo programmes with {applied} applications.")


def outbox_(
    limit: int = typer.Option(50, min=1, max=1000, help="Messages to show."),
) -> None:
    """Notifications not sent yet, oldest first."""
    for email, message in outbox.pending_messages(engine(), limit=limit):
        out.print(
            f"{message.created_at:%Y-%m-%d %H:%M} {email or '(no address)'}: {message.subject}",
            highlight=False,
        )


app.command("outbox")(outbox_)


@app.command()
def deliver(limit: int = typer.Option(100, min=1, max=10_000, help="Messages to send.")) -> None:
    """Send unsent notifications with MOBILISE_OUTBOX_SENDER (nothing with `none`)."""
    settings = get_settings()
    try:
        sent, failed = outbox.deliver_pending(
            engine(),
            sender=settings.outbox_sender,
            smtp_url=settings.smtp_url,
            from_address=settings.outbox_from,
            limit=limit,
        )
    except (ValueError, OSError, NotPermitted) as error:
        err.print(f"[bold red]Not delivered:[/] {error}", highlight=False)
        raise typer.Exit(2) from None
    out.print(f"Sent {sent}, failed {failed} (sender: {settings.outbox_sender}).")
