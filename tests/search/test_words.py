"""Long prefixes spelled out as the index's words, and a status filter read as a range of
document keys (both backends): each gives the same matches as the query it replaces."""

import importlib
import itertools
import json
import sqlite3

import pytest
from django.db import connection

from stdplus.catalog.choices import Status
from stdplus.importers.services import file_import
from stdplus.search import selectors
from stdplus.search.backends import postgres as pg
from stdplus.search.backends import sqlite as fts
from stdplus.search.backends.base import ANY, NATIVE, TITLED, Match
from stdplus.search.indexing import WORDS_TABLE, index_rebuild
from stdplus.search.selectors import SearchFilters, standards_search
from stdplus.search.text import WORD_MIN, index_words, query_terms, tokens
from stdplus.search.translate import translate

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's FTS5")
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL")


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


def _lexemes() -> set[str]:
    """PostgreSQL: every word of the full-text index read from the documents' own tsvectors,
    leaving out the facet tokens (their column is not a word column)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('simple', "
            "concat_ws(' ', ident, title, scope, xlang)))) FROM search_searchdocument"
        )
        return {row[0] for row in cursor.fetchall()}


def _listed() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word FROM {WORDS_TABLE}")
        return {row[0] for row in cursor.fetchall()}


def _keys(query: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key FROM search_searchdocument WHERE document @@ to_tsquery('simple', %s)",
            [query],
        )
        return {row[0] for row in cursor.fetchall()}


@postgres_only
def test_every_word_of_the_postgresql_index_a_prefix_could_begin_is_listed(catalog):
    """The listed words (`text.index_words`, from our tokens) hold every lexeme PostgreSQL made
    of the word columns that is long enough, so that a prefix spelled out misses no document."""
    lexemes = {word for word in _lexemes() if len(word) >= WORD_MIN}
    assert len(lexemes) > 100
    assert lexemes <= _listed()


@postgres_only
def test_a_long_prefix_finds_what_the_prefix_query_found_on_postgresql(catalog, monkeypatch):
    monkeypatch.setattr(pg, "MAX_WORDS", 160)  # (more prefixes spelled: more compared)
    words = [w for w in _lexemes() if w.isascii()]
    prefixes = sorted({w[:n] for w in words for n in range(4, 8) if len(w) >= n})
    assert len(prefixes) > 250
    spelled = 0
    for prefix in prefixes:
        match = Match(terms=query_terms(prefix))
        query = pg.tsquery(match, NATIVE, spell=True)
        spelled += ":*" not in query
        assert _keys(query) == _keys(pg.tsquery(match, NATIVE)), prefix
    assert spelled > len(prefixes) * 0.9


@postgres_only
def test_phrases_and_translations_are_spelled_for_the_index_only(catalog):
    terms = query_terms("质量管理 quality manag")
    match = Match(terms=terms, translations=[translate(t) for t in terms])
    for tier in (ANY, TITLED):
        query = pg.tsquery(match, tier, spell=True)
        assert ":*" not in query and "'management':" in query
        assert _keys(query) == _keys(pg.tsquery(match, tier))
    # (ranking and checks on rows keep the prefix: `ts_rank_cd` reads each operand per row)
    assert "'manag':*" in pg.tsquery(match, ANY)
    sql, params = pg.PostgresBackend()._score(match, ANY)
    assert "'manag':*" in params[0]


@postgres_only
def test_the_migration_lists_the_words_of_the_documents_already_indexed(catalog):
    """Search 0009 fills the list in SQL (the documents' words of WORD_MIN characters or more)
    and folds the others in Python: the same list as the indexer writes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT ident, title, scope, xlang FROM search_searchdocument")
        indexed = index_words(column for row in cursor.fetchall() for column in row)
    assert "management" in indexed and len(indexed) > 100
    assert indexed <= _listed()  # (written with the documents; never taken out)
    migration = importlib.import_module("stdplus.search.migrations.0009_postgres_words")
    with connection.schema_editor() as editor:
        migration.backwards(None, editor)
        migration.forwards(None, editor)
    assert _listed() == indexed


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
