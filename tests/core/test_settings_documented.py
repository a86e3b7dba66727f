"""Docs are tested: every environment variable settings.py reads is in docs/settings.md."""

import re

from ..conftest import REPO


def test_every_setting_read_from_the_environment_is_documented():
    source = (REPO / "src" / "stdplus" / "settings.py").read_text()
    names = set(re.findall(r"""environ(?:\.get)?\(\s*["']([A-Z_]+)["']""", source))
    names |= set(re.findall(r"""_(?:flag|int|positive_int)\(\s*["']([A-Z_]+)["']""", source))
    assert "DATABASE_URL" in names and "STDPLUS_SECRET_KEY" in names
    assert "STDPLUS_WEB_WORKERS" in names
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (REPO / "docs" / "settings.md").read_text(), re.MULTILINE)
    )
    assert names - documented == set(), "document these in docs/settings.md"
