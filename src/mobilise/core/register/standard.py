"""The Algorithmic Transparency Recording Standard as data: its fields and the finder's facets.

Built from the rows of fields.csv and the parsed finder_facets.json (the services read the
files); the core only checks records against what is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

FIELD_TYPES = ("text", "url", "email", "date", "enum", "list")
# Fields with a fixed answer that no facet lists.
YES_NO = ("Yes", "No")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    field_id: str
    tier: int  # 0 = the template's metadata section, 1 and 2 the standard's tiers
    section: str
    label: str
    description: str
    required: bool
    type: str
    ref: str


@dataclass(frozen=True, slots=True)
class Facet:
    field_id: str
    name: str
    multiple: bool
    values: tuple[str, ...]  # empty: free text
    labels: Mapping[str, str]  # value -> label


@dataclass(frozen=True, slots=True)
class Standard:
    fields: tuple[FieldSpec, ...]
    facets: Mapping[str, Facet]  # by field id

    def field(self, field_id: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.field_id == field_id), None)

    def allowed(self, field_id: str) -> tuple[str, ...]:
        """The closed list of values of a field, or () for free text."""
        if field_id == "tool_phase":  # the body's phase takes the finder's phase values
            field_id = "phase"
        if field_id == "third_party_involvement":
            return YES_NO
        facet = self.facets.get(field_id)
        return facet.values if facet is not None else ()

    @property
    def field_ids(self) -> tuple[str, ...]:
        return tuple(f.field_id for f in self.fields)


def build_standard(field_rows: Iterable[Mapping[str, str]], finder: Mapping[str, Any]) -> Standard:
    """The standard from fields.csv's rows and finder_facets.json's document."""
    fields = tuple(
        FieldSpec(
            field_id=row["field_id"],
            tier=int(row["tier"]),
            section=row["section"],
            label=row["label"],
            description=row["description"],
            required=row["required"] == "yes",
            type=row["type"],
            ref=row["ref"],
        )
        for row in field_rows
    )
    unknown = sorted({f.type for f in fields} - set(FIELD_TYPES))
    if unknown:
        raise ValueError(f"unknown field types {unknown}")
    facets: dict[str, Facet] = {}
    for facet in finder.get("facets", []):
        allowed: Sequence[Mapping[str, str]] = facet.get("allowed_values") or []
        facets[facet["field_id"]] = Facet(
            field_id=facet["field_id"],
            name=facet["name"],
            multiple=facet.get("select") == "multiple",
            values=tuple(v["value"] for v in allowed),
            labels={v["value"]: v["label"] for v in allowed},
        )
    return Standard(fields, facets)
