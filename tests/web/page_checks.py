"""Structural checks of an HTML page: well-formed nesting, one h1, ordered headings, labelled
fields, captioned tables with scoped headers, and the inline scripts it carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
    "path",
}
# Elements whose end tag HTML lets authors omit; the GOV.UK macros always close them anyway.
FIELDS = {"input", "select", "textarea"}


@dataclass
class PageStructure(HTMLParser):
    headings: list[int] = field(default_factory=list)
    html_lang: str | None = None
    labels_for: set[str] = field(default_factory=set)
    fields: list[dict[str, str | None]] = field(default_factory=list)
    tables: int = 0
    captions: int = 0
    header_cells: list[str | None] = field(default_factory=list)
    inline_scripts: list[str] = field(default_factory=list)
    inline_styles: int = 0
    event_handlers: int = 0
    problems: list[str] = field(default_factory=list)
    _open: list[str] = field(default_factory=list)
    _script: list[str] | None = None
    _in_thead: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "label" and attributes.get("for"):
            self.labels_for.add(str(attributes["for"]))
        if tag in FIELDS and attributes.get("type") not in {"hidden", "submit"}:
            self.fields.append(attributes)
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1
        if tag == "th":
            self.header_cells.append(attributes.get("scope"))
        if tag == "script" and "src" not in attributes:
            self._script = []
        if "style" in attributes:
            self.inline_styles += 1
        self.event_handlers += sum(1 for name in attributes if name.startswith("on"))
        if tag not in VOID:
            self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self._open or self._open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self._open[-1] if self._open else None}>")
            if tag in self._open:
                while self._open and self._open.pop() != tag:
                    pass
            return
        self._open.pop()
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def close(self) -> None:
        super().close()
        if self._open:
            self.problems.append(f"unclosed elements: {self._open}")


def inspect_page(html: str) -> PageStructure:
    page = PageStructure()
    page.feed(html)
    page.close()
    return page


def assert_accessible_page(html: str) -> PageStructure:
    page = inspect_page(html)
    assert page.problems == []
    assert page.html_lang == "en"
    assert page.headings.count(1) == 1, page.headings
    assert page.headings[0] <= 2
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading h{before} is followed by h{after}"
    for attributes in page.fields:
        assert attributes.get("id") in page.labels_for, f"unlabelled field {attributes}"
    assert page.captions == page.tables
    assert all(scope in {"col", "row"} for scope in page.header_cells)
    assert page.inline_styles == 0
    assert page.event_handlers == 0
    assert 'href="#main-content"' in html
    assert 'id="main-content"' in html
    return page
