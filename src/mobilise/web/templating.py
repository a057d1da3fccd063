"""The Jinja2 environment: our templates first, then the GOV.UK Frontend macros under a prefix."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from mobilise.core.framework import SkillLevel
from mobilise.web.access import csrf_token as session_csrf_token
from mobilise.web.page_frame import Breadcrumbs, Chrome, account_part
from mobilise.web.service_navigation import ServiceNavigation
from mobilise.web.template_loader import RecheckingLoader

# Published descriptions carry a little Markdown: blank-line paragraphs, "- " bullets and links.
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _inline(text: str) -> Markup:
    """Escape text, keeping Markdown links to absolute https addresses as links."""
    pieces: list[Markup] = []
    last = 0
    for match in _LINK.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        label, target = match.group(1), match.group(2)
        if target.startswith("https://"):
            pieces.append(Markup('<a class="govuk-link" href="{}">{}</a>').format(target, label))
        else:
            # Relative links point into the framework's own website, not into Mobilise.
            pieces.append(escape(label))
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def prose(text: str | None) -> Markup:
    """A description as GOV.UK paragraphs and bulleted lists."""
    blocks: list[Markup] = []
    bullets: list[Markup] = []
    paragraph: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            blocks.append(
                Markup('<p class="govuk-body">{}</p>').format(_inline(" ".join(paragraph)))
            )
            paragraph.clear()

    def close_bullets() -> None:
        if bullets:
            items = Markup("").join(Markup("<li>{}</li>").format(b) for b in bullets)
            blocks.append(Markup('<ul class="govuk-list govuk-list--bullet">{}</ul>').format(items))
            bullets.clear()

    for raw in (text or "").splitlines():
        line = raw.strip()
        if line.startswith(("- ", "* ")):
            close_paragraph()
            bullets.append(_inline(line[2:].strip()))
        elif not line:
            close_paragraph()
            close_bullets()
        else:
            close_bullets()
            paragraph.append(line)
    close_paragraph()
    close_bullets()
    return Markup("\n").join(blocks)


def evidence(text: str | None) -> Markup:
    """Evidence as written, its last line a link when it is an https address (how the
    self-assessment form stores the link)."""
    lines = (text or "").rstrip().split("\n")
    last = lines[-1].strip() if lines else ""
    if last.startswith("https://") and " " not in last:
        body = escape("\n".join(lines[:-1]))
        link = Markup('<a class="govuk-link" href="{}" rel="nofollow noopener">{}</a>').format(
            last, last
        )
        return body + (Markup("\n") if body else Markup("")) + link
    return escape(text or "")


# Every heatmap cell is one of nine strings; joining them in Python is ~20 times quicker than a
# Jinja loop over the cells of a 200-person team.
_HEAT_CELLS = {
    (level, validated): Markup('<td class="l{}">{}{}</td>').format(
        level, level if level else "–", "✓" if level and validated else ""
    )
    for level in range(5)
    for validated in (False, True)
}


def heat_cells(levels: list[int], validated: list[bool]) -> Markup:
    """A heatmap row's cells: the level (or a dash), a tick where it is validated."""
    return Markup("").join(
        _HEAT_CELLS[(level, flag)] for level, flag in zip(levels, validated, strict=True)
    )


# Looked up, not worked out: a profile page shows a level in each row of its two tables.
LEVEL_LABELS = {int(level): level.label.capitalize() for level in SkillLevel}


def level_label(level: SkillLevel | int | None) -> str:
    if level is None:
        return ""
    label = LEVEL_LABELS.get(level)
    return label if label is not None else SkillLevel(level).label.capitalize()  # else ValueError


@pass_context
def href(context: Context, path: str, **params: Any) -> str:
    """A link within the site that keeps the framework version the reader chose."""
    query = {k: v for k, v in params.items() if v is not None and v != ""}
    framework = context.get("framework")
    if framework and "framework" not in query:
        query["framework"] = framework
    return path + ("?" + urlencode(query) if query else "")


@pass_context
def csrf_field(context: Context) -> Markup:
    """The hidden field every form that changes something must carry."""
    request = context["request"]
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(
        session_csrf_token(request)
    )


def make_environment() -> Environment:
    environment = Environment(
        loader=RecheckingLoader(
            ChoiceLoader(
                [
                    PackageLoader("mobilise.web", "templates"),
                    PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
                ]
            )
        ),
        autoescape=True,
    )
    environment.filters["prose"] = prose
    environment.filters["level_label"] = level_label
    environment.filters["evidence"] = evidence
    environment.globals["heat_cells"] = heat_cells
    environment.globals["href"] = href
    environment.globals["csrf_field"] = csrf_field
    environment.globals["service_navigation"] = ServiceNavigation(environment)
    environment.globals["chrome"] = Chrome(environment)
    environment.globals["govuk_breadcrumbs"] = Breadcrumbs(environment)
    environment.globals["account_part"] = account_part
    return environment


def make_templates() -> Jinja2Templates:
    return Jinja2Templates(env=make_environment())
