"""Import and export of organisations, people and skill claims (formats: docs/formats.md)."""

from mobilise.services.transfer.exports import (
    EXPORTS,
    ExportReport,
    export_claims,
    export_organisations,
    export_people,
)
from mobilise.services.transfer.imports import (
    IMPORTS,
    ImportReport,
    import_claims,
    import_organisations,
    import_people,
)

KINDS = ("organisations", "people", "claims")

__all__ = [
    "EXPORTS",
    "IMPORTS",
    "KINDS",
    "ExportReport",
    "ImportReport",
    "export_claims",
    "export_organisations",
    "export_people",
    "import_claims",
    "import_organisations",
    "import_people",
]
