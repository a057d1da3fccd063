from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from mobilise.settings import DEFAULT_DATABASE_URL, Settings


def test_defaults_are_safe_for_one_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = Settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.sqlite_path() == Path("var/mobilise.db")
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.upload_limit_bytes == 100 * 1024 * 1024
    assert settings.disclosure_threshold == 10


@pytest.mark.parametrize("given", ["postgres://u:p@db/mobilise", "postgresql://u:p@db/mobilise"])
def test_postgres_urls_use_the_psycopg_driver(monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    monkeypatch.setenv("DATABASE_URL", given)
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u:p@db/mobilise"
    assert settings.sqlite_path() is None


def test_bad_values_fail_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOBILISE_PORT", "70000")
    with pytest.raises(ValidationError, match="port"):
        Settings()
