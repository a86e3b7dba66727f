"""A draft's text as clauses, and two versions compared clause by clause. Pure Python.

The structured text is plain text in which a line starting with a clause number ("1", "4.2",
"A.1" in an annex) begins a clause: "4.2 Requirements" gives clause 4.2, heading
"Requirements"; the lines until the next clause number are its text. Text before the first
numbered line is clause "0" (foreword, introduction).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError, Where

CLAUSE_LINE = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3}){0,5}|[A-Z](?:\.\d{1,3}){1,5})(?:\s+|$)(.*)$")
MAX_CLAUSES = 2000
MAX_TEXT = 2_000_000


@dataclass(frozen=True)
class ParsedClause:
    ref: str
    heading: str
    text: str


def clauses_parse(text: str, *, field: str = "clauses") -> list[ParsedClause]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT:
        raise ApplicationError(
            _("The text is longer than %(limit)s characters."),
            params={"limit": MAX_TEXT},
            where=Where(field=field),
            code="too_long",
        )
    found: list[list] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = CLAUSE_LINE.match(line)
        if match:
            ref = match[1]
            if ref in seen:
                raise ApplicationError(
                    _("Clause %(ref)s appears twice (lines %(first)s and %(line)s)."),
                    params={"ref": ref, "first": seen[ref], "line": number},
                    where=Where(field=field, row=number),
                    code="clause_twice",
                )
            seen[ref] = number
            found.append([ref, match[2].strip()[:300], []])
        elif line.strip():
            if not found:
                found.append(["0", "", []])
                seen["0"] = number
            found[-1][2].append(line.rstrip())
    if not found:
        raise ApplicationError(
            _("The text has no clauses: start each clause on a line with its number (“4.2 …”)."),
            where=Where(field=field),
            code="no_clauses",
        )
    if len(found) > MAX_CLAUSES:
        raise ApplicationError(
            _("The text has more than %(limit)s clauses."),
            params={"limit": MAX_CLAUSES},
            where=Where(field=field),
            code="too_many_clauses",
        )
    return [ParsedClause(ref, heading, "\n".join(lines)) for ref, heading, lines in found]


@dataclass(frozen=True)
class ClauseChange:
    ref: str
    status: str  # added, removed, changed, same
    old_heading: str
    new_heading: str
    pieces: tuple[tuple[str, str], ...]  # (kind, text): kind is "same", "added" or "removed"


def _words(text: str) -> list[str]:
    return re.findall(r"\s+|\w+|[^\w\s]", text)


def _pieces(old: str, new: str) -> tuple[tuple[str, str], ...]:
    a, b = _words(old), _words(new)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("added", "".join(b[j1:j2])))
    return tuple(out)


def clauses_compare(old: list, new: list) -> list[ClauseChange]:
    """Two versions' clauses (anything with ref, heading, text), matched by clause number, in
    the new version's order with removed clauses where they stood."""
    before = {c.ref: c for c in old}
    after = {c.ref: c for c in new}
    order: list[str] = []
    old_refs = [c.ref for c in old]
    for clause in new:
        order.append(clause.ref)
    for index, ref in enumerate(old_refs):
        if ref not in after:
            previous = next((r for r in reversed(old_refs[:index]) if r in order), None)
            order.insert(order.index(previous) + 1 if previous else 0, ref)
    changes = []
    for ref in order:
        a, b = before.get(ref), after.get(ref)
        if a is None:
            changes.append(ClauseChange(ref, "added", "", b.heading, (("added", b.text),)))
        elif b is None:
            changes.append(ClauseChange(ref, "removed", a.heading, "", (("removed", a.text),)))
        else:
            same = a.heading == b.heading and a.text == b.text
            changes.append(
                ClauseChange(
                    ref,
                    "same" if same else "changed",
                    a.heading,
                    b.heading,
                    (("same", b.text),) if same else _pieces(a.text, b.text),
                )
            )
    return changes
