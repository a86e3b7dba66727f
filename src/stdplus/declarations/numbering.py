"""Enterprise standard numbers (企业标准编号): Q/ + enterprise code + sequence + year.

The form is that of the enterprise standardization rules: "Q/" followed by the enterprise's
code (letters and digits, usually the initials of its name, sometimes with a region code),
the sequence number and the year of publication, for example "Q/SZHT 001-2024" or
"Q/440300ABC 12-2023". Pure Python: `qnumber_parse` returns the parts and the canonical
spelling, or a reason (a translatable message with parameters) saying what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

_FORM = re.compile(
    r"^Q/(?P<code>[A-Z0-9]{2,20}?)(?:\s+|(?<=[A-Z])(?=\d))(?P<sequence>\d{1,6})"
    r"\s*[-—–]\s*(?P<year>\d{4})$"
)
MIN_YEAR = 1989  # the Standardization Law of 1988 took effect in 1989


@dataclass(frozen=True)
class QNumber:
    code: str
    sequence: int
    year: int

    @property
    def canonical(self) -> str:
        return f"Q/{self.code} {self.sequence:03d}-{self.year}"


@dataclass(frozen=True)
class QNumberError:
    message: object
    params: dict


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip().upper()
    return re.sub(r"\s+", " ", text.replace("／", "/"))


def qnumber_parse(text: str, *, this_year: int) -> QNumber | QNumberError:
    cleaned = _clean(text)
    if not cleaned:
        return QNumberError(_("An enterprise standard number is required."), {})
    if not cleaned.startswith("Q/"):
        return QNumberError(
            _("“%(text)s” is not an enterprise standard number: it must begin with “Q/”."),
            {"text": text},
        )
    match = _FORM.match(cleaned)
    if match is None:
        return QNumberError(
            _(
                "“%(text)s” is not an enterprise standard number: write Q/, the enterprise "
                "code (2 to 20 letters or digits), the sequence number and the year, as in "
                "“Q/SZHT 001-2024”."
            ),
            {"text": text},
        )
    year = int(match["year"])
    if not MIN_YEAR <= year <= this_year:
        return QNumberError(
            _("The year of “%(text)s” must be between %(first)s and %(last)s."),
            {"text": text, "first": MIN_YEAR, "last": this_year},
        )
    sequence = int(match["sequence"])
    if sequence == 0:
        return QNumberError(
            _("The sequence number of “%(text)s” must be at least 1."), {"text": text}
        )
    return QNumber(code=match["code"], sequence=sequence, year=year)
