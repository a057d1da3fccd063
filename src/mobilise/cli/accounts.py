"""`mobilise accounts`, `mobilise tokens` and `mobilise audit`: the operator's side of sign-in.

The command line runs on the server with the database's credentials, so it acts as an operator
(every organisation); its changes are audited as "command line (user)".
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from mobilise.cli.context import EXIT_BAD_INPUT, engine, err, out, reporting_bad_input
from mobilise.services import accounts as account_service
from mobilise.services import api_tokens, audit
from mobilise.services.actors import GRANTED_ROLES, Role, Scope, command_line_actor

app = typer.Typer(help="Accounts and the roles granted to them.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for service accounts.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)

ROLE_HELP = "One of: " + ", ".join(role.value for role in GRANTED_ROLES) + "."
SCOPE_HELP = "One of: " + ", ".join(scope.value for scope in Scope) + "; repeat for several."


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        err.print(f"[bold red]Unknown role[/] {value!r}. {ROLE_HELP}", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None


@app.command("list")
def list_accounts() -> None:
    """List accounts with their person, organisation and granted roles."""
    table = Table("id", "kind", "name", "email", "person", "organisation")
    table.add_column("roles", overflow="fold")
    for account in account_service.list_accounts(engine(), command_line_actor()):
        table.add_row(
            str(account.id),
            account.kind + (" (disabled)" if account.disabled else ""),
            account.display_name,
            account.email or "",
            account.person_key or "",
            account.organisation_key or "",
            ", ".join(account.roles),
        )
    out.print(table)


@app.command()
def grant(
    account: str = typer.Argument(..., help="Account id, email, or service-account name."),
    role: str = typer.Argument(..., help=ROLE_HELP),
    organisation: str | None = typer.Option(
        None, help="Organisation key (every role but service_admin needs one)."
    ),
) -> None:
    """Grant a role to an account."""
    chosen = _role(role)
    with reporting_bad_input():
        account_id = account_service.find_account_id(engine(), account)
        account_service.grant_role(engine(), command_line_actor(), account_id, chosen, organisation)
    out.print(f"Granted {chosen.value} to account {account_id}.")


@app.command()
def revoke(
    account: str = typer.Argument(..., help="Account id, email, or service-account name."),
    role: str = typer.Argument(..., help=ROLE_HELP),
    organisation: str | None = typer.Option(None, help="Organisation key of the grant."),
) -> None:
    """Revoke a granted role."""
    chosen = _role(role)
    with reporting_bad_input():
        account_id = account_service.find_account_id(engine(), account)
        done = account_service.revoke_role(
            engine(), command_line_actor(), account_id, chosen, organisation
        )
    out.print(f"Revoked {chosen.value}." if done else "The account did not have that role.")


@app.command("create-service")
def create_service(
    name: str = typer.Argument(..., help="What the service account is for, e.g. 'HR feed'."),
    organisation: str | None = typer.Option(None, help="Organisation key it belongs to."),
) -> None:
    """Make a service account (for API tokens); grant it roles with `mobilise accounts grant`."""
    with reporting_bad_input():
        account_id = account_service.create_service_account(
            engine(), command_line_actor(), name, organisation
        )
    out.print(f"Service account {account_id} created.")


@tokens_app.command("issue")
def issue(
    account: str = typer.Argument(..., help="Account id, email, or service-account name."),
    name: str = typer.Option(..., help="What the token is for."),
    scope: list[str] = typer.Option(..., help=SCOPE_HELP),
    days: int | None = typer.Option(90, help="Days until it expires; 0 for never."),
) -> None:
    """Issue an API token; it is printed once and cannot be read back."""
    with reporting_bad_input():
        account_id = account_service.find_account_id(engine(), account)
        issued = api_tokens.issue_token(
            engine(), command_line_actor(), account_id, name, scope, None if days == 0 else days
        )
    out.print(issued.token, highlight=False, soft_wrap=True)
    err.print(
        f"Token {issued.id} issued"
        + (f", expires {issued.expires_at:%Y-%m-%d}" if issued.expires_at else ", never expires")
        + ". Keep it secret: it is not shown again.",
        highlight=False,
    )


@tokens_app.command("list")
def list_tokens() -> None:
    """List tokens (never the tokens themselves: their first characters)."""
    table = Table("id", "account", "name", "prefix", "scopes", "expires", "revoked", "last used")
    for token in api_tokens.list_tokens(engine(), command_line_actor()):
        table.add_row(
            str(token.id),
            str(token.account_id),
            token.name,
            token.prefix + "…",
            " ".join(token.scopes),
            f"{token.expires_at:%Y-%m-%d}" if token.expires_at else "never",
            f"{token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else "",
            f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "",
        )
    out.print(table)


@tokens_app.command("revoke")
def revoke_token(token_id: int = typer.Argument(..., help="The token's id.")) -> None:
    """Revoke a token at once."""
    with reporting_bad_input():
        done = api_tokens.revoke_token(engine(), command_line_actor(), token_id)
    out.print(f"Token {token_id} revoked." if done else f"Token {token_id} was already revoked.")


@audit_app.command("export")
def export(
    output: Path = typer.Argument(..., help="CSV file to write."),
    action: str | None = typer.Option(None, help="Only events of this action, e.g. role.granted."),
) -> None:
    """Write the whole audit log (or one action's events) to a CSV file, oldest first."""
    partial = output.with_name(output.name + ".partial")
    rows = 0
    with partial.open("w", encoding="utf-8", newline="") as file:
        for chunk in audit.export_events_csv(engine(), command_line_actor(), action=action):
            file.write(chunk)
            rows += chunk.count("\n")
    partial.replace(output)
    out.print(f"Wrote {max(rows - 1, 0)} event(s) to {output}.")
