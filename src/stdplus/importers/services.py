"""Importing files and folders into the catalog."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from stdplus.catalog.services import ImportResult, standards_import
from stdplus.core.errors import ApplicationError, Where

from .adapters import ADAPTERS, detect
from .classifications import classification_scheme, classifications_import

# Files of shared/data that hold no catalog records.
NOT_CATALOG_DATA = {
    "identifier_test_vectors.jsonl": _(
        "identifier test vectors (used by the tests), not standards"
    ),
    "cn_regions.jsonl": _(
        "administrative divisions of China, for the programme register's region tree, not standards"
    ),
}
DATA_SUFFIXES = (".jsonl", ".jsonl.gz", ".csv", ".xlsx", ".json")


# The source that creates a standard owns it (see catalog.services.imports), so a folder is
# imported publisher first: ISO before IEC for the joint ISO/IEC documents both files list.
SOURCE_ORDER = ["iso", "iec", "itu", "ietf", "cn", "nmpa"]


def _source_rank(path: Path) -> int:
    source = detect(path)
    return SOURCE_ORDER.index(source) if source in SOURCE_ORDER else len(SOURCE_ORDER)


def catalog_files(folder: Path) -> tuple[list[Path], dict[Path, str]]:
    """The data files of a folder in import order (classes first), and those left aside."""
    files, skipped = [], {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.name.endswith(DATA_SUFFIXES):
            continue
        if path.name in NOT_CATALOG_DATA:
            skipped[path] = NOT_CATALOG_DATA[path.name]
            continue
        files.append(path)
    files.sort(key=lambda p: (classification_scheme(p) is None, _source_rank(p), p.name))
    return files, skipped


def file_import(
    path: Path,
    *,
    source: str | None = None,
    skip_invalid: bool = False,
    options: dict | None = None,
    progress=None,
) -> ImportResult | dict:
    """Import one file; the adapter comes from --source or the file name."""
    if not path.exists():
        raise ApplicationError(_("no such file"), where=Where(file=str(path)), code="not_found")
    scheme = classification_scheme(path)
    if scheme and source in (None, scheme):
        return classifications_import(path, scheme)
    adapter_name = source if source in ADAPTERS else detect(path)
    adapter = ADAPTERS[adapter_name](
        path, source=source if source not in (None, adapter_name) else None, options=options
    )
    return standards_import(
        records=adapter.records(),
        source=adapter.source_name,
        path=str(path),
        skip_invalid=skip_invalid,
        post_parse=adapter.post_parse,
        progress=progress,
    )
