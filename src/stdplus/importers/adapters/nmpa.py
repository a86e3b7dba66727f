"""The NIFDC medical device standards catalogue (shared/data cn_nmpa_medical_devices.jsonl).

National (GB, GB/T, GB/Z) and industry (YY, YY/T) standards for medical devices. Two quirks of
the source: an implementation date may be a sentence saying the standard comes into force
together with another one ("与GB9706.1-2020同步实施"), and each record carries the catalogue's
categories. The sentence is kept as given; the date is taken from the standard it names when
that standard is in the same file.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy

from stdplus.catalog.services import StandardIn
from stdplus.identifiers import parse

from .base import Adapter

# "与GB9706.1-2020同步实施": in force together with the standard named inside.
_TOGETHER_WITH = re.compile(r"^\s*与\s*(?P<other>.+?)\s*(?:同步|同时)\s*实施\s*$")


class NmpaAdapter(Adapter):
    source = "nmpa"
    label = gettext_lazy("NIFDC medical device standards catalogue")

    def record(self, obj: dict, row: int) -> StandardIn:
        effective_text = obj.get("effective")
        together = _TOGETHER_WITH.match(effective_text) if isinstance(effective_text, str) else None
        if together:
            obj = {**obj, "effective": ""}
        record = super().record(obj, row)
        if together:
            record.extra["effective_with"] = together.group("other")
            record.extra["effective_text"] = effective_text
        for name in ("category", "revision_kind"):
            if obj.get(name):
                record.extra[name] = obj[name]
        return record

    def post_parse(self, parsed: dict) -> None:
        """Give "in force together with X" the implementation date of X when the file has X."""
        for item in parsed.values():
            other = item.record.extra.get("effective_with")
            if not other or item.record.effective:
                continue
            partner = parsed.get(parse(other).canonical)
            if partner is not None and partner.record.effective:
                item.record.effective = partner.record.effective
