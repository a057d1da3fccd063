"""`mobilise badge`: verify an Open Badges credential offline; issue, list, revoke credentials
and rotate an organisation's signing key (as the operator)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from mobilise.cli.context import engine, err, out, reporting_bad_input
from mobilise.services.actors import command_line_actor
from mobilise.services.credential_keys import published_keys, rotate_key
from mobilise.services.credential_verification import verify_credential
from mobilise.services.credentials import (
    AchievementSpec,
    issue_credential,
    issued_by,
    revoke_credential,
)

app = typer.Typer(help="Open Badges 3.0 credentials.", no_args_is_help=True)

EXIT_INVALID = 1
MARKS = {True: "[green]✓[/]", False: "[bold red]✗[/]", None: "[dim]–[/]"}


@app.command("verify")
def verify(
    file: Path = typer.Argument(
        ..., help="The credential: its .jwt file as downloaded ('-' reads standard input)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON."),
) -> None:
    """Check a credential offline: format, key, signature, Open Badges shape, issuer, validity
    and revocation. Exit code 0 if valid, 1 if not (each failed check says why)."""
    text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    result = verify_credential(engine(), text)
    if as_json:
        document = {
            "valid": result.valid,
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail} for c in result.checks
            ],
            "achievement": result.achievement_name,
            "issuer": result.issuer_name,
            "recipient": result.recipient_name,
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        for check in result.checks:
            out.print(f"{MARKS[check.passed]} {check.name}: {check.detail}", highlight=False)
        if result.valid:
            out.print(
                f"[bold green]Valid:[/] “{result.achievement_name}”, issued by "
                f"{result.issuer_name} to {result.recipient_name}.",
                highlight=False,
            )
        else:
            err.print(f"[bold red]Not valid:[/] {result.reason}", highlight=False)
    if not result.valid:
        raise typer.Exit(EXIT_INVALID)


@app.command("issue")
def issue(
    person: str = typer.Argument(..., help="The recipient's person key."),
    organisation: str = typer.Option(..., "--organisation", help="The issuing organisation."),
    key: str = typer.Option(..., "--key", help="The achievement's stable key."),
    name: str = typer.Option(..., "--name", help="The achievement's name."),
    description: str = typer.Option(..., "--description"),
    criteria: str = typer.Option(..., "--criteria", help="What earns it (a narrative)."),
    valid_for_days: int | None = typer.Option(None, "--valid-for-days", help="Expiry."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the .jwt here."),
) -> None:
    """Issue a credential (kind `other`) to a person from an organisation."""
    with reporting_bad_input():
        issued = issue_credential(
            engine(),
            None,
            recipient_person_key=person,
            issuer_organisation_key=organisation,
            achievement=AchievementSpec(key, name, description, criteria, "other", valid_for_days),
        )
    if output is not None:
        output.write_text(issued.token + "\n", encoding="ascii")
    out.print(f"Issued {issued.key} to {issued.person_key}.", highlight=False)


@app.command("list")
def list_issued(organisation: str = typer.Argument(..., help="The issuing organisation.")) -> None:
    """What an organisation has issued, newest first."""
    with reporting_bad_input():
        rows = issued_by(engine(), command_line_actor(), organisation)
    for row in rows:
        status = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "valid"
        out.print(
            f"{row.uuid}  {row.issued_at:%Y-%m-%d}  {row.person_key}  {row.kind}  "
            f"{row.achievement_name}  ({status})",
            highlight=False,
        )


@app.command("revoke")
def revoke(
    credential: str = typer.Argument(..., help="The credential's id (uuid or urn:uuid:…)."),
    reason: str = typer.Option(..., "--reason", help="Why; the recipient is told."),
) -> None:
    """Revoke a credential: verifying it fails from now on."""
    with reporting_bad_input():
        revoked = revoke_credential(engine(), None, credential, reason)
    out.print(f"Revoked {revoked.key}.", highlight=False)


@app.command("rotate-key")
def rotate(organisation: str = typer.Argument(..., help="The organisation.")) -> None:
    """Make a new signing key for the organisation and retire the current one (kept to verify
    what it signed)."""
    with reporting_bad_input():
        kid = rotate_key(engine(), command_line_actor(), organisation)
    out.print(f"New signing key {kid} for {organisation}.", highlight=False)


@app.command("keys")
def keys(organisation: str = typer.Argument(..., help="The organisation.")) -> None:
    """The organisation's public keys as a JWK set (JSON), newest first."""
    with reporting_bad_input():
        issuer_id, published = published_keys(engine(), organisation)
    document = {"issuer": issuer_id, "keys": [k.jwk for k in published]}
    sys.stdout.write(json.dumps(document, indent=2) + "\n")
