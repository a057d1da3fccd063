"""Framework versions and what they contain. Keys (slugs) are unique within a version.

ORM classes are suffixed `Record` where the plain name belongs to the core's dataclass.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mobilise.store.models.base import Base


class FrameworkVersion(Base):
    __tablename__ = "framework_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(Text, default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SkillLevelRecord(Base):
    """The ordered scale (awareness=1 … expert=4), seeded by the first migration."""

    __tablename__ = "skill_level"

    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(30), unique=True)


class JobFamilyRecord(Base):
    __tablename__ = "job_family"
    __table_args__ = (UniqueConstraint("framework_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_version.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class RoleRecord(Base):
    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("framework_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_version.id", ondelete="CASCADE"), index=True
    )
    job_family_id: Mapped[int] = mapped_column(
        ForeignKey("job_family.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    role_type: Mapped[str] = mapped_column(String(100), default="")

    job_family: Mapped[JobFamilyRecord] = relationship()


class RoleLevelRecord(Base):
    __tablename__ = "role_level"
    __table_args__ = (UniqueConstraint("framework_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_version.id", ondelete="CASCADE"), index=True
    )
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    level_order: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")

    role: Mapped[RoleRecord] = relationship()


class SkillRecord(Base):
    __tablename__ = "skill"
    __table_args__ = (UniqueConstraint("framework_version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_version_id: Mapped[int] = mapped_column(
        ForeignKey("framework_version.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    awareness: Mapped[str] = mapped_column(Text, default="")
    working: Mapped[str] = mapped_column(Text, default="")
    practitioner: Mapped[str] = mapped_column(Text, default="")
    expert: Mapped[str] = mapped_column(Text, default="")


class RoleLevelSkill(Base):
    """A role level requires a skill at a level."""

    __tablename__ = "role_level_skill"

    role_level_id: Mapped[int] = mapped_column(
        ForeignKey("role_level.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    level: Mapped[int] = mapped_column(ForeignKey("skill_level.ordinal"))


class RoleSkillRecord(Base):
    """A skill of a role without levels (the Senior Civil Service roles)."""

    __tablename__ = "role_skill"

    role_id: Mapped[int] = mapped_column(
        ForeignKey("role.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skill.id", ondelete="CASCADE"), primary_key=True
    )
