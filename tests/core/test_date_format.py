"""One date format across the site: a date prints as 2026-11-26 in both languages, whether a
template formats it or not, and the templates format dates with that one pattern."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from ..conftest import REPO

ALLOWED = {'"Y-m-d"', '"Y-m-d H:i"', "'c'"}  # 'c': the machine-readable datetime attribute


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_dates_print_one_way_in_every_language(language):
    day = dt.date(2026, 11, 26)
    moment = dt.datetime(2026, 11, 26, 14, 30, tzinfo=dt.UTC)
    template = Template("{{ day }}|{{ day|date }}|{{ moment }}|{{ moment|date:'DATETIME_FORMAT' }}")
    with translation.override(language), timezone.override("UTC"):
        text = template.render(Context({"day": day, "moment": moment}))
    assert text == "2026-11-26|2026-11-26|2026-11-26 14:30|2026-11-26 14:30"


def test_templates_format_dates_with_the_one_pattern():
    found = {}
    for path in (REPO / "src" / "stdplus").rglob("templates/**/*.html"):
        for pattern in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", path.read_text()):
            if pattern not in ALLOWED:
                found.setdefault(str(path.relative_to(REPO)), []).append(pattern)
    assert found == {}
