"""Import and export of organisations, people, skill claims and learning items (docs/formats.md)."""

from mobilise.services.transfer.exports import (
    EXPORTS,
    ExportReport,
    export_claims,
    export_organisations,
    export_people,
)
from mobilise.services.transfer.imports import (
    WORKFORCE_IMPORTS,
    ImportReport,
    import_claims,
    import_organisations,
    import_people,
)
from mobilise.services.transfer.learning import export_learning_items, import_learning_items

KINDS = ("organisations", "people", "claims")
# What a background job may import: the workforce tables and the learning catalogue.
IMPORTS = {**WORKFORCE_IMPORTS, "learning_items": import_learning_items}

__all__ = [
    "EXPORTS",
    "IMPORTS",
    "KINDS",
    "ExportReport",
    "ImportReport",
    "export_claims",
    "export_learning_items",
    "export_organisations",
    "export_people",
    "import_claims",
    "import_learning_items",
    "import_organisations",
    "import_people",
]
