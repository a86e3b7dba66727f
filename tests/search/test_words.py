"""Long prefixes spelled out as the index's words (SQLite), and a status filter read as a range
of document keys (both backends): each gives the same matches as the query it replaces."""

import itertools
import json
import sqlite3

import pytest
from django.db import connection

from stdplus.catalog.choices import Status
from stdplus.importers.services import file_import
from stdplus.search import selectors
from stdplus.search.backends import sqlite as fts
from stdplus.search.backends.base import ANY, NATIVE, Match
from stdplus.search.indexing import WORDS_TABLE, index_rebuild
from stdplus.search.selectors import SearchFilters, standards_search
from stdplus.search.text import WORD_MIN, index_words, query_terms, tokens
from stdplus.search.translate import translate

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'", reason="the words are listed for SQLite's FTS5"
)


def _fts5_terms(db, text: str) -> list[str]:
    db.execute("DELETE FROM f")
    db.execute("INSERT INTO f VALUES (?)", (text,))
    return [row[0] for row in db.execute("SELECT term FROM v")]


def _ascii_head(word: str) -> str:
    for i, c in enumerate(word):
        if not c.isascii():
            return word[:i]
    return word


def test_a_word_or_its_folded_form_is_the_word_the_fulltext_index_holds():
    """Over Latin, Greek, Cyrillic and the other letters around them: of a token and its folded
    form (both listed), one is read by FTS5 as the word it holds for the token and begins with
    that word's first ASCII letters, so an ASCII prefix spelled out misses no document."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(a, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, f, row)")
    checked = 0
    for code in [*range(0xA0, 0x600), *range(0x1E00, 0x2000), *range(0xFB00, 0xFB50)]:
        for token in tokens("abcd" + chr(code) + "ef"):
            if len(token) < WORD_MIN:
                continue
            [held] = _fts5_terms(db, token)
            head = _ascii_head(held)
            assert any(
                word.startswith(head) and _fts5_terms(db, word) == [held]
                for word in index_words([token])
            ), hex(code)
            checked += 1
    assert checked > 1900


def _rowids(query: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [query])
        return {row[0] for row in cursor.fetchall()}


def _prefixes() -> list[str]:
    """Every beginning of 4 to 7 letters of the index's words (read from FTS5 itself)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.words_seen "
            "USING fts5vocab(main, search_fts, row)"
        )
        cursor.execute("SELECT term FROM temp.words_seen WHERE length(term) >= 4")
        words = [row[0] for row in cursor.fetchall()]
    return sorted({w[:n] for w in words if w.isascii() for n in range(4, 8) if len(w) >= n})


@sqlite_only
def test_a_long_prefix_finds_what_the_prefix_query_found(catalog):
    prefixes = _prefixes()
    assert len(prefixes) > 500
    spelled = 0
    for prefix in prefixes:
        match = Match(terms=query_terms(prefix))
        query = fts.fts_query(match, NATIVE)
        if "*" not in query:
            spelled += 1
        assert _rowids(query) == _rowids(f'{{ident title scope}} : "{prefix}"*'), prefix
    assert spelled > len(prefixes) * 0.9  # (the rest begin more than MAX_WORDS words)


@sqlite_only
def test_translated_and_phrase_prefixes_are_spelled_out_too(catalog):
    terms = query_terms("质量管理 quality manag")
    match = Match(terms=terms, translations=[translate(t) for t in terms])
    query = fts.fts_query(match, ANY)
    assert "*" not in query
    assert '"management"' in query
    assert _rowids(query) == _rowids(query.replace('"management"', '"management"*'))


@sqlite_only
def test_a_prefix_beginning_too_many_words_stays_a_prefix(catalog, monkeypatch):
    before = [s.pk for s in standards_search(q="manag", page_size=100).standards]
    monkeypatch.setattr(fts, "MAX_WORDS", 0)
    assert '"manag"*' in fts.fts_query(Match(terms=query_terms("manag")), NATIVE)
    assert [s.pk for s in standards_search(q="manag", page_size=100).standards] == before


@sqlite_only
def test_the_words_follow_imports_and_a_rebuild(catalog, write_jsonl):
    record = {"id": "GB/T 90009-2025", "title_en": "Zymurgical vessels", "title_zh": "酿造容器"}
    assert standards_search(q="zymurg").count == 0
    file_import(write_jsonl([record], name="cn_words.jsonl"))
    assert [s.canonical for s in standards_search(q="zymurg").standards] == ["GB/T 90009-2025"]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {WORDS_TABLE}")
    index_rebuild()
    assert [s.canonical for s in standards_search(q="zymurg").standards] == ["GB/T 90009-2025"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {WORDS_TABLE} WHERE word = 'zymurgical'")
        assert cursor.fetchone()[0] == 1


def _search(q: str, statuses: list[str]) -> tuple:
    result = standards_search(q=q, filters=SearchFilters(status=statuses), page_size=100)
    facets = {name: [(v.value, v.count) for v in values] for name, values in result.facets.items()}
    return result.count, [s.pk for s in result.standards], json.dumps(facets)


def test_a_status_filter_as_a_range_of_keys_finds_what_its_tokens_found(catalog, monkeypatch):
    choices = list(Status.values)
    asked = [[s] for s in choices] + [list(p) for p in itertools.combinations(choices, 2)]
    ranged = 0
    for statuses in asked:
        for q in ("", "要求", "safety"):
            with monkeypatch.context() as patched:
                patched.setattr(selectors.SearchFilters, "key_range", lambda self: None)
                by_tokens = _search(q, statuses)
            ranged += SearchFilters(status=statuses).key_range() is not None
            assert _search(q, statuses) == by_tokens, (q, statuses)
    assert ranged >= len(choices) * 3  # every single status, and the neighbours, as a range
    assert _search("", ["current"])[0] > 0
