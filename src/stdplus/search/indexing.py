"""Writing the search index: the documents of changed standards, or of the whole catalog."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import F, Q

from stdplus.catalog.choices import RelationType, Scheme
from stdplus.catalog.models import DEMO_SOURCE, Relation, Standard
from stdplus.catalog.status import CURRENT, DEVELOPMENT, STATUS_ORDER, UPCOMING
from stdplus.core.batching import pg_array
from stdplus.core.bulk import insert_rows

from .models import IndexState, SearchDocument
from .text import index_text, index_words, title_keys

# The order of standards that match equally well: the catalog's one status order
# (`catalog.status.STATUS_ORDER`), except that documents in development come right after those
# about to come into force, before superseded and withdrawn ones. The chain never follows a
# draft, but a person searching a subject wants the text being written (the next edition of a
# work, a new standard on the subject) before texts that no longer apply. Stored in every
# search document's key: changing it needs `stdplus search rebuild`.
STATUS_RANK = {
    status: rank
    for rank, status in enumerate(
        [s for s in STATUS_ORDER if s in (CURRENT, UPCOMING)]
        + [DEVELOPMENT]
        + [s for s in STATUS_ORDER if s not in (CURRENT, UPCOMING, DEVELOPMENT)]
    )
}
ID_SPAN = 10**10  # standard ids stay below this; the rank sits above it in the key
# The keys of one status (its editions, then its supplements: `rank_key`).
STATUS_SPAN = 2 * 10_000 * ID_SPAN
CHUNK = 900
BLOCK = 20_000
COLUMNS = (
    "key",
    "standard",
    "level",
    "body",
    "status",
    "year",
    "published",
    "ics_fields",
    "ident",
    "title",
    "scope",
    "facets",
    "xlang",
    "exact",
)
# Relations whose two ends are one text in two languages: their titles are each other's
# cross-language words (an ISO standard is found by the Chinese title of the GB adopting it).
# The facet token of a standard without a Chinese title: the translation of a Chinese query
# reaches these only (one with a Chinese title is found by its own words).
NO_CHINESE_TITLE = "zxen"
# The facet token of the demo generator's invented standards (`catalog.models.DEMO_SOURCE`): a
# search that hides them leaves them out through the full-text index (`backends`), in the same
# pass as its terms, instead of listing their keys in every statement.
DEMO_TOKEN = "zdemo"
# The words of the index (`text.index_words`), one row each, that a long prefix query is
# spelled out as (`backends.base.spelled`); both databases (search migrations 0006 and 0009).
# Written with the documents; never taken out (a word no document holds any more finds
# nothing), emptied by a rebuild.
WORDS_TABLE = "search_fts_words"
# PostgreSQL: the key of each standard's document (search migration 0011). The documents are
# kept in ranges of the key (by rank: `rank_key`), each range with its own index of standards,
# so finding a standard's document by its id reads every range: a pass over each range of a
# small catalog, a probe of each range's index on a large one, for every settling step of an
# import (2 of 29 seconds of 100,000 new standards). Here it is one probe. Written with the
# documents (`_keys_record`); a row is not taken out with its document (a deleted standard,
# one left out of the index): it then names a key that no document holds, and a key holds its
# standard's id (`standard_id_of`), so a row can never name another standard's document.
KEYS_TABLE = "search_document_key"
# The index columns of a document row (COLUMNS) that hold words.
WORD_COLUMNS = tuple(COLUMNS.index(name) for name in ("ident", "title", "scope", "xlang"))


def exact_token(key: str) -> str:
    """The facet token of one exact title key (`text.title_keys`): a query equal to a title
    finds its documents through the full-text index instead of comparing every match's
    titles (`backends.base.EXACT`)."""
    return "zt" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


CROSS_RELATIONS = (RelationType.ADOPTS, RelationType.IDENTICAL)
Through = Standard.classifications.through


def rank_key(*, standard_id: int, status: str, is_supplement: bool, year: int | None) -> int:
    """Ascending key = rank: status, editions before their supplements, newer years first."""
    rank = STATUS_RANK.get(status, 5) * 2 + (1 if is_supplement else 0)
    return (rank * 10_000 + (9999 - (year or 0))) * ID_SPAN + standard_id


def document_year(published: dt.date | None, year: int | None) -> int | None:
    """The year a standard's document is filed under: its publication's, else its own."""
    return published.year if published else year


def expected_key(standard: Standard) -> int:
    """The key `document_row` gives this standard's document while the index follows it."""
    return document_key({name: getattr(standard, name) for name in DOC_KEY_FIELDS})


def documents_of(standards: Iterable[Standard]) -> dict[int, SearchDocument]:
    """The search documents of these standards, by standard id.

    Read by the key each document should have: a primary key lookup (on PostgreSQL in the one
    range of the key that holds it, not in every range's index of standards). A document whose
    key differs (its standard changed in a way the index has not followed yet) is then read by
    its standard's noted key (`_keys_of`), so the answer does not depend on the index being up
    to date."""
    standards = list(standards)
    found = {
        d.standard_id: d
        for d in SearchDocument.objects.filter(key__in=[expected_key(s) for s in standards])
    }
    missing = [s.pk for s in standards if s.pk not in found]
    if missing:
        found.update(
            (d.standard_id, d) for d in SearchDocument.objects.filter(key__among=_keys_of(missing))
        )
    return found


def status_key_range(statuses: Iterable[str]) -> tuple[int, int] | None:
    """The keys of the documents of these statuses as one range [low, high), when their ranks
    follow each other (the status rank is the top of the key: `rank_key`); else None."""
    if not statuses or any(status not in STATUS_RANK for status in statuses):
        return None
    ranks = sorted({STATUS_RANK[status] for status in statuses})
    if ranks[-1] - ranks[0] + 1 != len(ranks):
        return None
    return ranks[0] * STATUS_SPAN, (ranks[-1] + 1) * STATUS_SPAN


def standard_id_of(key: int) -> int:
    return key % ID_SPAN


def body_token(body: str) -> str:
    return "zb" + body.lower().encode("utf-8").hex()


def class_tokens(scheme: str, code: str) -> list[str]:
    """The facet tokens of a class and its ancestors: ICS 03.120.10 -> zi03 zi03120 zi0312010."""
    if scheme == Scheme.ICS:
        parts = code.split(".")
        return ["zi" + "".join(parts[: i + 1]) for i in range(len(parts))]
    code = code.lower()
    if "/" in code:  # a CCS group (C30/49) is one token of its own
        return [ccs_token(code)]
    return ["zc" + code[: i + 1] for i in range(len(code)) if i != 1] if code else []


def ics_token(code: str) -> str:
    return "zi" + code.replace(".", "")


def ccs_token(code: str) -> str:
    return "zc" + code.lower().replace("/", "t")  # the tokenizer would split at "/"


def _classes(ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    rows = Through.objects.filter(standard_id__among=ids).values_list(
        "standard_id",
        "classification__scheme",
        "classification__code",
        "classification__parent__code",
    )
    for standard_id, scheme, code, parent in rows:
        found.setdefault(standard_id, []).append((scheme, code))
        if parent and "/" in parent:  # the CCS group of the class, so that it can be a filter
            found[standard_id].append((scheme, parent))
    return found


Partner = tuple[int, str, str, str]  # id, canonical, title_zh, title_en


def partners(ids: list[int]) -> dict[int, list[Partner]]:
    """The standards each of these adopts, is adopted by, or is identical to."""
    found: dict[int, list[Partner]] = {}
    rows = Relation.objects.filter(
        Q(from_standard_id__among=ids) | Q(to_standard_id__among=ids),
        type__in=CROSS_RELATIONS,
        from_standard__isnull=False,
        to_standard__isnull=False,
    ).values_list(
        "from_standard_id",
        "from_standard__canonical",
        "from_standard__title_zh",
        "from_standard__title_en",
        "to_standard_id",
        "to_standard__canonical",
        "to_standard__title_zh",
        "to_standard__title_en",
    )
    wanted = set(ids)
    for a, a_key, a_zh, a_en, b, b_key, b_zh, b_en in rows:
        if a in wanted:
            found.setdefault(a, []).append((b, b_key, b_zh, b_en))
        if b in wanted:
            found.setdefault(b, []).append((a, a_key, a_zh, a_en))
    return found


def xlang_text(row: dict, others: list[Partner]) -> str:
    """The tokens of the partners' titles that are not the standard's own titles."""
    own = {row["title_zh"], row["title_en"]}
    texts = []
    for _id, _key, title_zh, title_en in sorted(others):
        texts.extend(t for t in (title_zh, title_en) if t and t not in own and t not in texts)
    return index_text(*texts)


DOC_FIELDS = (
    "pk",
    "canonical",
    "work_key",
    "level",
    "body",
    "status",
    "is_supplement",
    "year",
    "published",
    "title_zh",
    "title_en",
    "scope",
    "source",
)


DOC_KEY_FIELDS = ("pk", "status", "is_supplement", "published", "year")  # (of DOC_FIELDS)


def document_key(row: dict) -> int:
    """The key of the document of a standard row (DOC_FIELDS; DOC_KEY_FIELDS are enough)."""
    return rank_key(
        standard_id=row["pk"],
        status=row["status"],
        is_supplement=row["is_supplement"],
        year=document_year(row["published"], row["year"]),
    )


def document_row(
    row: dict, classes: list[tuple[str, str]], others: list[Partner] | tuple = ()
) -> tuple:
    year = document_year(row["published"], row["year"])
    published = row["published"] or (dt.date(year, 1, 1) if year else None)
    ics = sorted({code.split(".")[0] for scheme, code in classes if scheme == Scheme.ICS})
    facet_tokens = ["zl" + row["level"], "zs" + row["status"], body_token(row["body"])]
    if not row["title_zh"]:
        facet_tokens.append(NO_CHINESE_TITLE)
    if row["source"] == DEMO_SOURCE:
        facet_tokens.append(DEMO_TOKEN)
    exact_keys = title_keys(row["title_zh"], row["title_en"])
    facet_tokens.extend(exact_token(key) for key in exact_keys)
    for scheme, code in sorted(classes):
        facet_tokens.extend(class_tokens(scheme, code))
    return (
        document_key(row),
        row["pk"],
        row["level"],
        row["body"],
        row["status"],
        year,
        published,
        " ".join(ics)[:200],
        index_text(
            row["canonical"], row["work_key"] if row["work_key"] != row["canonical"] else ""
        ),
        index_text(row["title_zh"], row["title_en"]),
        index_text(row["scope"]),
        " ".join(dict.fromkeys(facet_tokens)),
        xlang_text(row, list(others)),
        "|".join(exact_keys),
    )


def documents_update(
    standard_ids: Iterable[int], *, fulltext: bool = True, with_partners: bool = True
) -> int:
    """Write the documents of these standards again (deleted standards lose theirs), and
    those of their adoption partners, whose cross-language words they are.

    SQLite: the documents go in first, then their FTS5 rows in one pass by ascending key.
    FTS5 flushes its buffer whenever a rowid is lower than the last one written, so rows
    written in any other order make thousands of small segments (an import many times slower).
    A delete trigger removes the FTS5 rows of deleted documents.
    """
    with transaction.atomic():
        return documents_prepare(standard_ids, fulltext=fulltext, with_partners=with_partners)()


def documents_prepare(
    standard_ids: Iterable[int],
    *,
    statuses: dict[int, str] | None = None,
    fulltext: bool = True,
    with_partners: bool = True,
) -> Callable[[], int]:
    """The reading half of `documents_update`: read the catalog now and build the documents
    (now on SQLite, as they are written on PostgreSQL), and return the function that writes
    them (in the caller's transaction; it returns how many it wrote). `statuses`: standards
    whose status the caller is about to change, and to what (their documents are built with
    it). Settling reads before it takes SQLite's write lock and writes inside it
    (catalog/services/hooks.py)."""
    statuses = statuses or {}
    ids = set(standard_ids)
    found: dict[int, list[Partner]] = {}  # the partners of the ids read so far
    if with_partners and ids:
        listed = sorted(ids)
        for start in range(0, len(listed), CHUNK):
            found.update(partners(listed[start : start + CHUNK]))
        for others in found.values():
            ids.update(other[0] for other in others)
    read = set(found) | (set(standard_ids) if with_partners else set())
    ids = sorted(ids)
    if not ids:
        return lambda: 0
    # On PostgreSQL each document row is built as COPY sends it (`bulk.insert_rows`), so
    # that the server stores the rows sent while the next are built (the write is then 2 s
    # shorter for 100,000 new standards); on SQLite they are built here, before settling
    # takes the write lock, which is then held for the writes alone.
    lazy = connection.vendor == "postgresql"
    # (old keys, [(new key, the standard's row, its classes, its partners)]) of each block
    blocks: list[tuple[list[int], list[tuple]]] = []
    for block_start in range(0, len(ids), BLOCK):
        block = ids[block_start : block_start + BLOCK]
        old_keys = _keys_of(block)
        rows: list[tuple] = []
        for start in range(0, len(block), CHUNK):
            chunk = block[start : start + CHUNK]
            classes = _classes(chunk)
            others = partners([pk for pk in chunk if pk not in read])
            others.update((pk, found[pk]) for pk in chunk if pk in found)
            for row in Standard.objects.filter(pk__among=chunk).values(*DOC_FIELDS):
                if row["pk"] in statuses:
                    row["status"] = statuses[row["pk"]]
                parts = (row, classes.get(row["pk"], []), others.get(row["pk"], []))
                rows.append((document_key(row), *parts) if lazy else document_row(*parts))
        rows.sort(key=lambda row: row[0])
        blocks.append((old_keys, rows))
    # The words of the new documents, listed with them (worked out here, unlocked, or as the
    # rows are built).
    words: set[str] = set()
    if not lazy:
        words = index_words(row[i] for _keys, rows in blocks for row in rows for i in WORD_COLUMNS)

    def built(rows: list[tuple]) -> Iterable[tuple]:
        texts: list[str] = []
        for _key, *parts in rows:
            document = document_row(*parts)
            texts.extend(document[i] for i in WORD_COLUMNS)
            yield document
        words.update(index_words(texts))

    def write() -> int:
        written: list[int] = []
        with transaction.atomic():
            for old_keys, rows in blocks:
                for start in range(0, len(old_keys), CHUNK):
                    SearchDocument.objects.filter(
                        key__among=old_keys[start : start + CHUNK]
                    )._raw_delete(connection.alias)
                insert_rows(SearchDocument, COLUMNS, built(rows) if lazy else rows)
                if lazy:  # (PostgreSQL)
                    _keys_record([(key, row["pk"]) for key, row, *_parts in rows])
                written.extend(row[0] for row in rows)
            if words:
                words_insert(words)
            if fulltext and connection.vendor == "sqlite":
                fulltext_insert(sorted(written))
            generation_bump()
        return len(written)

    return write


def _table_exists(cursor, table: str) -> bool:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        return bool(cursor.fetchone()[0])
    cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [table])
    return cursor.fetchone() is not None


def _keys_listed(cursor) -> bool:
    """Whether KEYS_TABLE exists: PostgreSQL, from search migration 0011 on (0007 indexes)."""
    return connection.vendor == "postgresql" and _table_exists(cursor, KEYS_TABLE)


def _keys_of(ids: list[int]) -> list[int]:
    """The keys of these standards' documents (on PostgreSQL perhaps also keys that no
    document holds any more: KEYS_TABLE), ascending."""
    with connection.cursor() as cursor:
        if ids and _keys_listed(cursor):
            array_type, literal = pg_array(ids)
            cursor.execute(
                f"SELECT key FROM {KEYS_TABLE} WHERE standard_id = ANY(%s::{array_type})",
                [literal],
            )
            return sorted(row[0] for row in cursor.fetchall())
    return sorted(
        SearchDocument.objects.filter(standard_id__among=ids).values_list("key", flat=True)
    )


def _keys_record(rows: list[tuple[int, int]]) -> None:
    """PostgreSQL: note the key of each of these new documents ((key, standard id)), in the
    order of the standards (two writers at once take the rows' locks in the same order)."""
    with connection.cursor() as cursor:
        if not rows or not _keys_listed(cursor):
            return
        cursor.execute(
            f"INSERT INTO {KEYS_TABLE} (standard_id, key) "
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) AS n(standard_id, key) "
            "ORDER BY standard_id ON CONFLICT (standard_id) DO UPDATE SET key = EXCLUDED.key",
            [pg_array([row[1] for row in rows])[1], pg_array([row[0] for row in rows])[1]],
        )


def _words_listed(cursor) -> bool:
    """Whether WORDS_TABLE exists (a migration before its own, search 0006 or 0009, may
    index)."""
    return _table_exists(cursor, WORDS_TABLE)


def words_insert(words: Iterable[str]) -> None:
    """List these words of the index (`text.index_words`), those not listed yet (in order:
    two imports at once on PostgreSQL take the words' locks in the same order)."""
    words = sorted(words)
    if connection.vendor == "postgresql":
        insert = (
            f"INSERT INTO {WORDS_TABLE}(word) SELECT value FROM json_array_elements_text(%s::json) "
            "ON CONFLICT DO NOTHING"
        )
    else:
        insert = f"INSERT OR IGNORE INTO {WORDS_TABLE}(word) SELECT value FROM json_each(%s)"
    with connection.cursor() as cursor:
        if not _words_listed(cursor):
            return
        for start in range(0, len(words), 50_000):
            cursor.execute(insert, [json.dumps(words[start : start + 50_000], ensure_ascii=False)])


def fulltext_insert(keys: list[int]) -> None:
    """Add the FTS5 rows of these documents, keys ascending."""
    with connection.cursor() as cursor:
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            cursor.execute(
                "INSERT INTO search_fts(rowid, ident, title, scope, facets, xlang) "
                "SELECT key, ident, title, scope, facets, xlang FROM search_searchdocument "
                "WHERE key IN (SELECT value FROM json_each(%s)) ORDER BY key",
                [json.dumps(chunk)],
            )


def index_rebuild(progress=None) -> int:
    """Build the whole index again from the catalog (after a restore, or to check it)."""
    with transaction.atomic():
        sqlite = connection.vendor == "sqlite"
        if sqlite:  # FTS5 is rebuilt from the documents in one pass at the end
            with connection.cursor() as cursor:
                # Empty both at once; the delete trigger would remove FTS5 rows one by one.
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [SearchDocument._meta.db_table],
                )
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f"DROP TRIGGER {name}")
                cursor.execute(f"DELETE FROM {SearchDocument._meta.db_table}")
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('delete-all')")
                for _name, sql in triggers:
                    cursor.execute(sql)
        else:
            SearchDocument.objects.all()._raw_delete(connection.alias)
        with connection.cursor() as cursor:
            if _keys_listed(cursor):
                cursor.execute(f"DELETE FROM {KEYS_TABLE}")
            if _words_listed(cursor):
                cursor.execute(f"DELETE FROM {WORDS_TABLE}")
        ids = list(Standard.objects.order_by("pk").values_list("pk", flat=True))
        written = 0
        for start in range(0, len(ids), BLOCK):
            written += documents_update(
                ids[start : start + BLOCK], fulltext=not sqlite, with_partners=False
            )
            if progress:
                progress(written, len(ids))
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    return written


def generation() -> int:
    value = IndexState.objects.filter(pk=1).values_list("generation", flat=True).first()
    return value or 0


def generation_bump() -> None:
    if not IndexState.objects.filter(pk=1).update(generation=F("generation") + 1):
        IndexState.objects.create(pk=1, generation=1)
