"""What importers and editors hand to the catalog services: plain data, already typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext

from stdplus.core.errors import Where


@dataclass(slots=True)
class RelationIn:
    """A relation as a source states it, seen from the record that carries it.

    `type` is a source word: replaces, replaced_by, amends, amended_by, corrects, corrected_by,
    updates, updated_by, adopts, identical, references, also_known_as, part_of.
    """

    type: str
    target: str
    degree: str = ""
    date: dt.date | None = None
    inferred: bool = False


@dataclass(slots=True)
class StandardIn:
    identifier: str
    row: int = 0
    title_en: str = ""
    title_zh: str = ""
    scope: str = ""
    source_status: str = ""  # exactly as the source gives it
    status_word: str = ""  # the word the status is derived from (normalised or as printed)
    stage_code: str = ""
    published: dt.date | None = None
    published_precision: str = ""
    effective: dt.date | None = None
    withdrawn: dt.date | None = None
    confirmed: dt.date | None = None
    ics: list[str] = field(default_factory=list)
    ccs: list[tuple[str, str]] = field(default_factory=list)  # (code, Chinese title or "")
    committee: str = ""
    drafting_organizations: list[str] = field(default_factory=list)
    edition_label: str = ""
    url: str = ""
    source_id: str = ""
    doctype: str = ""
    level: str = ""  # used only where the identifier engine cannot tell
    mandate: str = ""
    extra: dict = field(default_factory=dict)
    relations: list[RelationIn] = field(default_factory=list)


@dataclass(slots=True)
class RecordError:
    """A row that cannot be imported, with where and why."""

    row: int
    field: str
    message: str
    value: str = ""

    def describe_problem(self) -> str:
        """The problem and the value, without the place."""
        if not self.value:
            return str(self.message)
        return gettext("%(problem)s (value %(value)s)") % {
            "problem": self.message,
            "value": repr(self.value),
        }

    def describe(self, path: str) -> str:
        where = Where(file=path, row=self.row, field=self.field).describe()
        return gettext("%(where)s: %(problem)s") % {
            "where": where,
            "problem": self.describe_problem(),
        }


@dataclass
class ImportResult:
    source: str
    path: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0  # rows that named a document another row of the same file already named
    skipped: int = 0
    relations_added: int = 0
    relations_removed: int = 0
    unresolved_relations: int = 0
    status_changes: int = 0
    events: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    write_started: float = 0.0  # when the file's apply began (Unix time)
    write_seconds: float = 0.0  # from then until the file was published
    write_steps: int = 0  # the write transactions of the apply and of settling
    longest_write_step_seconds: float = 0.0  # the longest of them: the write lock held
    longest_write_step: str = ""  # what it wrote ("standards_created", "settle", ...)
    # Where the time went, in seconds: read (parse), plan, apply, settle; and across apply and
    # settle the write transactions together (write_steps_held) and the pauses between them.
    phase_seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}
