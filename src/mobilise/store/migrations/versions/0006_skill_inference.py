"""Skill inference: ESCO skills, crosswalk and inferred suggestions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 14:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reserved in the revision chain so parallel work lands in order; filled by its area.
    pass


def downgrade() -> None:
    pass
