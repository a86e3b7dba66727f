"""PostgreSQL: the search table in ranges of its key, each with its own full-text index.

A GIN index returns a term's matches in no particular order, so "the first 1,000 matches in key
order" (`backends.base.Backend._first_keys`), the count up to 10,001 and the facets' sample read
every match of the term first: at 5,000,000 standards a common word had 200,000 of them and took
seconds. Split by ranges of the key (status, then editions before supplements, then newer years
first: `indexing.rank_key`), the table is read one range after the other in key order and the
reading stops in the first ranges that hold enough matches (an ordered `Append` with a `LIMIT`),
so a common word's cost follows the size of a range, not of the catalog.

The ranges (BOUNDS) are a physical layout only: any ranges give the same answers. They are cut
so that no range holds much more than a tenth of the catalog at the synthetic distribution
(half the standards in force, spread over the years; a third superseded): narrow bands of years
for standards in force, wider ones for superseded and withdrawn, one range for each of the
small statuses. They cover every key (MINVALUE to MAXVALUE, no default range, which would
prevent reading the ranges in order).

Partitioned tables need every unique index to include the key, so `standard_id` keeps a plain
index here: the indexer writes one document per standard (it deletes the old ones first).
SQLite keeps its one table and FTS5 index (FTS5 reads a term's matches in key order already).
The documents are copied into the new table; at millions of standards this takes minutes.
"""

from django.db import migrations

ID_SPAN = 10**10  # indexing.ID_SPAN: the standard's id sits below the rank in the key
RANK_SPAN = 10_000 * ID_SPAN  # one rank of the key (indexing.rank_key): status * 2 + supplement
# Status ranks (indexing.STATUS_RANK): current 0, upcoming 1, development 2, superseded 3,
# withdrawn 4, cancelled and unknown 5. The editions of these split by year: the first year of
# each band, newest first (a band holds its year and the years up to the band before it).
YEAR_BANDS = {
    0: (2024, 2022, 2020, 2018, 2016, 2014, 2012, 2010, 2007, 2004, 2000, 1990),
    3: (2016, 2011, 2006, 2001, 1991),
    4: (2011, 2001),
}
COLUMNS = (
    "key, level, body, status, year, published, ics_fields, ident, title, scope, facets, "
    "standard_id, exact, xlang"
)
DOCUMENT = """document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, ident), 'A')
    || setweight(to_tsvector('simple'::regconfig, title), 'B')
    || setweight(to_tsvector('simple'::regconfig, scope), 'C')
    || setweight(to_tsvector('simple'::regconfig, facets), 'D')
    || setweight(to_tsvector('simple'::regconfig, xlang), 'D')
) STORED"""
TABLE_COLUMNS = f"""key bigint NOT NULL,
    level varchar(16) NOT NULL,
    body varchar(40) NOT NULL,
    status varchar(12) NOT NULL,
    year smallint NULL CHECK (year >= 0),
    published date NULL,
    ics_fields varchar(200) NOT NULL,
    ident text NOT NULL,
    title text NOT NULL,
    scope text NOT NULL,
    facets text NOT NULL,
    standard_id bigint NOT NULL,
    exact text NOT NULL,
    xlang text NOT NULL,
    {DOCUMENT}"""
FOREIGN_KEY = (
    "ALTER TABLE search_searchdocument ADD CONSTRAINT search_searchdocumen_standard_id_d558118b_fk_catalog_s "
    "FOREIGN KEY (standard_id) REFERENCES catalog_standard (id) DEFERRABLE INITIALLY DEFERRED"
)


def bounds() -> list[int]:
    """The keys where a range starts, ascending, the first range's start (MINVALUE) aside."""
    out = []
    for rank2 in range(12):
        status, supplement = divmod(rank2, 2)
        if status == 5 and supplement:
            break  # cancelled: one range to the end
        if status in (1, 2, 5) and supplement:
            continue  # the small statuses: editions and supplements together
        start = rank2 * RANK_SPAN
        if start:
            out.append(start)
        if not supplement:
            for year in YEAR_BANDS.get(status, ()):
                # years >= year come first: (9999 - year) ascending (indexing.rank_key)
                out.append(start + (10_000 - year) * ID_SPAN)
    return out


def _partitioned() -> list[str]:
    edges = ["MINVALUE", *map(str, bounds()), "MAXVALUE"]
    statements = [
        "ALTER TABLE search_searchdocument RENAME TO search_searchdocument_single",
        f"CREATE TABLE search_searchdocument ({TABLE_COLUMNS}) PARTITION BY RANGE (key)",
    ]
    for number, (low, high) in enumerate(zip(edges, edges[1:], strict=False)):
        statements.append(
            f"CREATE TABLE search_searchdocument_p{number:02d} PARTITION OF "
            f"search_searchdocument FOR VALUES FROM ({low}) TO ({high})"
        )
    return [
        *statements,
        f"INSERT INTO search_searchdocument ({COLUMNS}) "
        f"SELECT {COLUMNS} FROM search_searchdocument_single",
        "DROP TABLE search_searchdocument_single",
        "ALTER TABLE search_searchdocument ADD CONSTRAINT search_searchdocument_pkey "
        "PRIMARY KEY (key)",
        FOREIGN_KEY,
        "CREATE INDEX search_searchdocument_standard_id ON search_searchdocument (standard_id)",
        "CREATE INDEX search_searchdocument_published_62052a1f ON search_searchdocument "
        "(published)",
        "CREATE INDEX search_document_fulltext ON search_searchdocument USING gin (document)",
        "ANALYZE search_searchdocument",
    ]


SINGLE = [
    "ALTER TABLE search_searchdocument RENAME TO search_searchdocument_ranges",
    f"CREATE TABLE search_searchdocument ({TABLE_COLUMNS})",
    f"INSERT INTO search_searchdocument ({COLUMNS}) "
    f"SELECT {COLUMNS} FROM search_searchdocument_ranges",
    "DROP TABLE search_searchdocument_ranges",
    "ALTER TABLE search_searchdocument ADD CONSTRAINT search_searchdocument_pkey PRIMARY KEY (key)",
    FOREIGN_KEY,
    "ALTER TABLE search_searchdocument ADD CONSTRAINT search_searchdocument_standard_id_key "
    "UNIQUE (standard_id)",
    "CREATE INDEX search_searchdocument_published_62052a1f ON search_searchdocument (published)",
    "CREATE INDEX search_document_fulltext ON search_searchdocument USING gin (document)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0007_demo_token")]

    operations = [migrations.RunPython(_run(_partitioned()), _run(SINGLE))]
