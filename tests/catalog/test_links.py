"""Links to standards are built without reverse() each time; they must be what it gives."""

import gzip
import json
from urllib.parse import unquote

from django.urls import resolve, reverse
from hypothesis import given
from hypothesis import strategies as st

from stdplus.catalog.links import api_url, html_url

from ..conftest import REPO


def _identifiers() -> list[str]:
    """Every id of the bundled data (ISO, IEC, ITU, IETF, Chinese): slashes, colons, spaces."""
    out = []
    for path in sorted((REPO / "data").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            out += [json.loads(line).get("id") for line in lines]
    return [i for i in out if i]


def _same(text: str) -> None:
    assert api_url(text) == reverse("api:standard_get", kwargs={"identifier": text})
    assert html_url(text) == reverse("catalog:standard-detail", kwargs={"identifier": text})


def test_links_of_real_identifiers_are_what_reverse_gives():
    identifiers = [i for i in _identifiers() if i.strip() and "\n" not in i]
    assert len(identifiers) > 100_000
    identifiers = identifiers[::5]  # one in five of each file: a second, not six
    for text in identifiers:
        _same(text)


@given(st.text(min_size=1).filter(lambda t: "\n" not in t and "\r" not in t))
def test_links_of_any_text_are_what_reverse_gives(text):
    _same(text)


def test_a_link_resolves_back_to_its_identifier():
    url = api_url("GB/T 19001-2016")
    assert url == "/api/v1/standards/GB/T%2019001-2016"
    assert resolve(unquote(url)).kwargs["identifier"] == "GB/T 19001-2016"
