"""The `mobilise` command. With no sub-command it prepares the database and serves the web app."""

from __future__ import annotations

import typer

from mobilise.cli import (
    accounts,
    allocation,
    analytics,
    badge,
    db,
    demo,
    framework,
    guidance,
    hackathons,
    jobs,
    learning,
    marketplace,
    pathway,
    privacy,
    programmes,
    register,
    runs,
    serve,
    skills,
    teams,
    transfer,
)

app = typer.Typer(
    name="mobilise",
    help="Mobilise: skills, learning and talent mobility for public-sector digital, data and AI.",
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode="rich",
)
app.add_typer(db.app, name="db")
app.add_typer(framework.app, name="framework")
app.add_typer(runs.app, name="runs")
app.add_typer(jobs.app, name="jobs")
app.add_typer(learning.app, name="learning")
app.add_typer(programmes.app, name="programmes")
app.add_typer(marketplace.app, name="marketplace")
app.add_typer(hackathons.app, name="hackathons")
app.add_typer(register.app, name="register")
app.add_typer(guidance.app, name="guidance")
app.add_typer(accounts.app, name="accounts")
app.add_typer(accounts.tokens_app, name="tokens")
app.add_typer(accounts.audit_app, name="audit")
app.add_typer(skills.app, name="skills")
app.add_typer(analytics.app, name="analytics")
app.add_typer(analytics.targets_app, name="targets")
app.add_typer(badge.app, name="badge")
app.add_typer(privacy.retention_app, name="retention")
app.add_typer(privacy.privacy_app, name="privacy")
app.command("serve")(serve.serve)
app.command("demo")(demo.demo)
app.command("import")(transfer.import_file)
app.command("export")(transfer.export_file)
app.command("allocate")(allocation.allocate)
app.command("teams")(teams.teams)
app.command("pathway")(pathway.pathway)
app.command("worker")(jobs.worker)


@app.callback(invoke_without_command=True)
def _default(ctx: typer.Context) -> None:
    """Run `mobilise serve` when no command is given, as `make run` does."""
    if ctx.invoked_subcommand is None:
        serve.serve()


def main() -> None:
    app()
