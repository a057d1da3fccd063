"""The kinds of background job and the parameters each takes, checked before anything is queued.

Parameters are plain JSON (they are stored with the job and read back by a worker, possibly on
another machine). Files are named by absolute path: a worker must see the same file system.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mobilise.core.problems import InvalidInput, Problem


class _Parameters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _existing_file(value: str) -> str:
    path = Path(value).expanduser()
    if not path.is_file():
        raise ValueError("must name a file that exists")
    return str(path.resolve())


class ImportParameters(_Parameters):
    """`mobilise import TABLE PATH`, run by a worker."""

    table: Literal["organisations", "people", "claims", "learning_items"]
    path: str
    format: Literal["csv", "json"] | None = None
    framework: str | None = None

    _path = field_validator("path")(_existing_file)


class DemoParameters(_Parameters):
    """`mobilise demo`, run by a worker."""

    people: Annotated[int, Field(ge=0)]
    seed: int
    claims_per_person: Annotated[float, Field(ge=0)] = 8.0
    history: bool = True
    replace: bool = False

    @field_validator("claims_per_person")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value


class AllocateParameters(_Parameters):
    """`mobilise allocate PROBLEM --record`, run by a worker: stored as an AllocationRun."""

    problem: str
    method: Literal["stable", "welfare", "fair"] = "stable"
    seed: int = 0
    objective: Literal["rank", "fit"] = "rank"
    base: Literal["welfare", "stable"] = "welfare"
    # The organisation the stored run belongs to (a run queued from the web pages).
    organisation_id: int | None = None

    _problem = field_validator("problem")(_existing_file)


def _writable_file(value: str) -> str:
    path = Path(value).expanduser().resolve()
    if not path.parent.is_dir():
        raise ValueError("must name a file in a folder that exists")
    if path.is_dir():
        raise ValueError("must name a file, not a folder")
    return str(path)


class TagLearningParameters(_Parameters):
    """`mobilise skills tag`, run by a worker: the learning catalogue's skills from its words."""

    top: Annotated[int, Field(ge=1, le=100)] = 10


class TagOpportunitiesParameters(_Parameters):
    """Required skills suggested for every opportunity from its words, for owners to confirm
    (services/opportunity_skills.py)."""

    top: Annotated[int, Field(ge=1, le=30)] = 10


class InferTextsParameters(_Parameters):
    """`mobilise skills infer-texts`, run by a worker: a JSON Lines file of texts in, their
    suggested skills out (services/skill_batches.py)."""

    input: str
    output: str
    taxonomy: Literal["esco", "ddat"] = "esco"
    top: Annotated[int, Field(ge=1, le=100)] = 10
    method: Literal["best", "fast"] = "best"

    _input = field_validator("input")(_existing_file)
    _output = field_validator("output")(_writable_file)


class AnalyticsRefreshParameters(_Parameters):
    """`mobilise analytics refresh`, run by a worker, so that no page request pays for it
    after a large import."""

    full: bool = False


class RetentionParameters(_Parameters):
    """`mobilise retention apply`, run by a worker (e.g. queued nightly by cron)."""

    dry_run: bool = False


PARAMETERS: dict[str, type[_Parameters]] = {
    "import": ImportParameters,
    "demo": DemoParameters,
    "allocate": AllocateParameters,
    "tag-learning": TagLearningParameters,
    "infer-texts": InferTextsParameters,
    "analytics-refresh": AnalyticsRefreshParameters,
    "tag-opportunities": TagOpportunitiesParameters,
    "retention": RetentionParameters,
}
KINDS = tuple(PARAMETERS)


def check_parameters(kind: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters in their stored form, or InvalidInput naming every bad one."""
    model = PARAMETERS.get(kind)
    if model is None:
        rule = f"is not a kind of job; the kinds are {', '.join(KINDS)}"
        raise InvalidInput([Problem("job", None, "kind", kind, rule)])
    try:
        checked = model.model_validate(dict(parameters))
    except ValidationError as error:
        raise InvalidInput(_problems(kind, error)) from None
    return checked.model_dump(mode="json")


def _problems(kind: str, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        column = ".".join(str(part) for part in detail["loc"]) or None
        given = detail.get("input")
        value = None if isinstance(given, dict) or given is None else str(given)
        rule = detail["msg"]
        if detail["type"] == "extra_forbidden":
            rule = "is not a parameter of this kind of job"
        elif rule.startswith("Value error, "):
            rule = rule[len("Value error, ") :]
        problems.append(Problem(f"{kind} job", None, column, value, rule))
    return problems
