"""Create and upgrade the database schema with Alembic (`mobilise db upgrade`)."""

from __future__ import annotations

from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

SCRIPT_LOCATION = "mobilise.store:migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    # ConfigParser treats % as interpolation: percent-encoded passwords and socket paths need %%.
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision`, in one transaction where the database allows it."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


@lru_cache(maxsize=1)
def _known_revisions() -> frozenset[str]:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    return frozenset(r.revision for r in ScriptDirectory.from_config(config).walk_revisions())


def is_behind(revision: str | None, head: str | None) -> bool:
    """Whether a database at `revision` needs `mobilise db upgrade` before this release runs on it.

    A revision this release does not know is newer: a later release's expand migration, applied
    while this release still serves (zero-downtime deploys). Expand migrations only add, so this
    release still works there, and its health check must not take it out of the load balancer.
    """
    if revision == head:
        return False
    return revision is None or revision in _known_revisions()
