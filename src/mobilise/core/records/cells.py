"""Spreadsheet formula injection: neutralise on CSV export, undo on CSV import, losslessly.

A cell that starts with =, +, -, @, tab or carriage return may run as a formula when a CSV file is
opened in a spreadsheet (OWASP "CSV injection"). Export prefixes such a cell with an apostrophe,
which spreadsheets show as text. To keep export → import lossless, a cell that already starts with
an apostrophe followed by one of those characters (or by another apostrophe) is prefixed too, and
import removes exactly one leading apostrophe from any cell of that shape. Values are stored as
given: a leading = is harmless in the database and in HTML, which escapes it.
"""

from __future__ import annotations

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_ESCAPED_SECOND = FORMULA_TRIGGERS | {"'"}


def neutralise_formula(value: str) -> str:
    """The cell to write to CSV for `value`."""
    if not value:
        return value
    first = value[0]
    escaped_already = first == "'" and len(value) > 1 and value[1] in _ESCAPED_SECOND
    if first in FORMULA_TRIGGERS or escaped_already:
        return "'" + value
    return value


def restore_formula(cell: str) -> str:
    """The value a CSV cell from `neutralise_formula` (or a spreadsheet user) stands for."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in _ESCAPED_SECOND:
        return cell[1:]
    return cell
