"""Every identifier in the shared real data files must parse, without false collisions."""

from __future__ import annotations

import collections
import gzip
import json
import re
from pathlib import Path

import pytest

from stdplus.identifiers import Identifier, Rejection, parse
from stdplus.importers.classifications import classification_scheme
from stdplus.importers.services import catalog_files

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"  # shared/ beside the checkout, as on CI
BUNDLED = REPO / "data"  # the same records, bundled (plain files gzip-compressed)
DATA = SHARED if SHARED.is_dir() else BUNDLED
# The folder as the importer sees it (tests/importers/test_real_data.py): every standards file,
# that is every imported file that is not a class table.
FILES = [p.name for p in catalog_files(DATA)[0] if classification_scheme(p) is None]
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


def load_records(name: str) -> list[dict]:
    path = DATA / name
    with _open(path) as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_ids(name: str) -> tuple[set[str], set[str]]:
    """Return (record ids, all ids including relation targets and also_identified_as)."""
    ids: set[str] = set()
    everything: set[str] = set()
    for rec in load_records(name):
        ids.add(rec["id"])
        everything.add(rec["id"])
        for rel in rec.get("relations") or []:
            everything.add(rel["target"])
        for other in rec.get("also_identified_as") or []:
            everything.add(other)
    return ids, everything


def test_the_folder_is_followed():
    names = {name.removesuffix(".gz") for name in FILES}
    assert {"cn_curated.jsonl", "iso_deliverables.jsonl", "iec_publications.jsonl"} <= names
    if DATA == SHARED:
        assert "cn_nmpa_medical_devices.jsonl" in names


@pytest.mark.parametrize("name", [name for name in FILES if name.startswith("cn_")])
def test_level_and_mandate_agree_with_the_source(name):
    """Where a source states a standard's level or mandate (the Chinese files), the identifier
    says the same: GB/Z is guidance, YY mandatory, YY/T recommended, and so on."""
    wrong = []
    for rec in load_records(name):
        r = parse(rec["id"])
        assert isinstance(r, Identifier), rec["id"]
        for field in ("level", "mandate"):
            stated = rec.get(field)
            if field == "mandate" and r.level in ("group", "enterprise"):
                continue  # the number of a group standard states no mandate (relaton-gb says one)
            if stated and getattr(r, field) != stated:
                wrong.append(
                    f"{rec['id']}: {field} {getattr(r, field)!r}, the source says {stated!r}"
                )
    assert not wrong, wrong[:20]


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
