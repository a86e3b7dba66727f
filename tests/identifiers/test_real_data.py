"""Every identifier in the shared real data files must parse, without false collisions."""

from __future__ import annotations

import collections
import gzip
import json
import re
from pathlib import Path

import pytest

from stdplus.identifiers import Identifier, Rejection, parse

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"  # shared/ beside the checkout, as on CI
BUNDLED = REPO / "data"  # the same records, bundled (plain files gzip-compressed)
FILES = [
    "iso_deliverables.jsonl.gz",
    "iec_publications.jsonl.gz",
    "itu_recommendations.jsonl.gz",
    "ietf_rfc_index_2009.jsonl",
    "cn_curated.jsonl",
    "cn_samples_relaton_gb.jsonl",
]
# Source ids known to be broken beyond repair (id -> reason). Currently none.
KNOWN_BROKEN: dict[str, str] = {}
# Canonical collisions checked by hand and confirmed to be the same document. Currently none:
# the ISO file has no "/COR3" spellings (the IEC file writes ISO/IEC supplements IEC style,
# and those meet the ISO file's "/Cor 3" only across files, see test_cross_file_duplicates).
KNOWN_DUPLICATES: dict[str, set[str]] = {}


def _open(path: Path):
    return (
        gzip.open(path, "rt", encoding="utf-8")
        if path.suffix == ".gz"
        else open(path, encoding="utf-8")
    )


def load_ids(name: str) -> tuple[set[str], set[str]]:
    """Return (record ids, all ids including relation targets and also_identified_as)."""
    path = SHARED / name
    if not path.exists():
        path = BUNDLED / (name if name.endswith(".gz") else name + ".gz")
    assert path.exists(), f"{name} is neither in {SHARED} nor in {BUNDLED}"
    ids: set[str] = set()
    everything: set[str] = set()
    with _open(path) as fh:
        for line in fh:
            rec = json.loads(line)
            ids.add(rec["id"])
            everything.add(rec["id"])
            for rel in rec.get("relations") or []:
                everything.add(rel["target"])
            for other in rec.get("also_identified_as") or []:
                everything.add(other)
    return ids, everything


@pytest.mark.parametrize("name", FILES)
def test_every_source_id_parses(name):
    _, everything = load_ids(name)
    failures = []
    for text in sorted(everything):
        r = parse(text)
        if isinstance(r, Rejection) and text not in KNOWN_BROKEN:
            failures.append(f"{text!r}: {r.error}")
        elif isinstance(r, Identifier):
            again = parse(r.canonical)
            if not isinstance(again, Identifier) or again.canonical != r.canonical:
                failures.append(f"{text!r}: canonical {r.canonical!r} is not a fixed point")
    print(f"{name}: {len(everything)} ids, {len(failures)} failures")
    for f in failures[:50]:
        print("  ", f)
    assert not failures, f"{len(failures)} ids of {name} did not parse"


@pytest.mark.parametrize("name", FILES)
def test_canonical_forms_do_not_collide(name):
    _, everything = load_ids(name)
    by_canonical: dict[str, set[str]] = collections.defaultdict(set)
    for text in everything:
        r = parse(text)
        if isinstance(r, Identifier):
            by_canonical[r.canonical].add(text)
    collisions = {
        c: v for c, v in by_canonical.items() if len(v) > 1 and KNOWN_DUPLICATES.get(c) != v
    }
    print(f"{name}: {len(collisions)} collisions")
    for c, v in sorted(collisions.items())[:50]:
        print("  ", c, "<-", sorted(v))
    assert not collisions


def test_cross_file_duplicates_are_the_same_document():
    """The IEC file spells ISO/IEC supplements IEC style; they meet the ISO file's forms."""
    iso, _ = load_ids("iso_deliverables.jsonl.gz")
    iec, _ = load_ids("iec_publications.jsonl.gz")
    assert (
        parse("ISO/IEC 13818-1:2007/COR3:2011").canonical
        == parse("ISO/IEC 13818-1:2007/Cor 3:2011").canonical
    )
    iso_canon = {parse(t).canonical: t for t in iso}
    shared = [(t, iso_canon[parse(t).canonical]) for t in iec if parse(t).canonical in iso_canon]
    assert len(shared) > 1000
    for iec_id, iso_id in shared:
        # same document: the two ids differ only in spaces, slashes and letter case
        assert _spelling_key(iec_id) == _spelling_key(iso_id), (iec_id, iso_id)


def _spelling_key(text: str) -> str:
    return re.sub(r"[\s/.]", "", text.upper())


def test_vectors():
    # A copy of shared/data/identifier_test_vectors.jsonl (pubid-testsuite; see data/SOURCES.md)
    path = Path(__file__).with_name("identifier_test_vectors.jsonl")
    with open(path, encoding="utf-8") as fh:
        vectors = [json.loads(line) for line in fh]
    for v in vectors:
        r = parse(v["identifier"])
        if v["expect"] == "pass":
            assert isinstance(r, Identifier), v
            assert parse(r.canonical).canonical == r.canonical
        elif v["identifier"].startswith("EN "):
            # A valid European standard for us (the vector only says it is not an ISO id).
            assert isinstance(r, Identifier) and r.level == "regional", v
        else:
            assert isinstance(r, Rejection), v
