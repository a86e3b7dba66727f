"""Re-checks when the catalog changes, and the enterprise's watch list.

When catalog standards change (a new edition, withdrawn, superseded, a date or mandate
changed), the catalog's settling step tells `hooks.STANDARDS_CHANGED` the ids of the standards
it settled; the listener `declarations.recheck` (`standards_recheck`, connected in
`apps.py`) re-checks ONLY the public declarations that name one of them. The index from a
standard to its declarations is the foreign keys' own indexes: `CitedStandard.standard`,
`Indicator.method_standard` and `Indicator.reference_standard`, each joined to the product's
declaration.

The re-check asks the one rule (`checking.findings_for`) about the changed standards only, with
their status as the validity check engine derives it today (`selectors.standard_facts`), and
keeps the findings that depend on the catalog (`CATALOG_CODES`) as `RecheckFinding` rows: new
ones are raised, those no longer found are closed.

The enterprise hears of the change through the watch app: each declaration, when declared, adds
the standards it names to the enterprise's watch list (`declaration_watch_sync`), so the
change events of those standards become alerts (inbox, feed, webhook, digest), phrased by
`watch.phrasing` in each recipient's language.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from stdplus.catalog.models import Standard
from stdplus.core.batching import batches
from stdplus.core.bulk import rows_insert, rows_prepare
from stdplus.core.dates import today
from stdplus.watch.models import Digest, ItemKind, Watcher, WatchItem, WatchList
from stdplus.watch.services import watcher_set

from .checking import Finding, IndicatorFacts, ProductFacts, findings_for
from .choices import DeclarationState
from .models import (
    INDICATOR_MARK,
    PRODUCT_MARK,
    CitedStandard,
    Declaration,
    DeclarationWatch,
    Indicator,
    Product,
    RecheckFinding,
    RecheckWording,
)
from .selectors import standard_facts

# The declarations a catalog change can affect: those in force, and suspended ones (which may
# be reinstated).
RECHECKED_STATES = (DeclarationState.DECLARED, DeclarationState.SUSPENDED)

# The findings that depend on what the catalog says of a standard.
CATALOG_CODES = frozenset(
    {
        "standard_unknown",
        "standard_withdrawn",
        "standard_superseded",
        "standard_upcoming",
        "method_outdated",
        "below_mandatory",
        "below_recommended_unstated",
    }
)


@dataclass
class Rechecked:
    standards: int = 0  # standards changed
    declarations: int = 0  # declarations re-checked (those naming a changed standard)
    raised: int = 0  # new findings
    closed: int = 0  # findings no longer found


def finding_key(finding: Finding) -> str:
    return "|".join((finding.code, finding.product, finding.standard, finding.indicator))[:400]


# Marks for the names a finding's message carries (models.RecheckWording), put in when the
# finding is read.


@dataclass(frozen=True)
class Template:
    """A finding of one changed standard, judged once by the one rule on a probe product: the
    same for every product citing the standard (or measuring by it) but for the names."""

    standard_id: int
    use: str  # "cited" or "method"
    code: str | None  # None: no finding (the declarations citing it are re-checked all the same)
    severity: str
    standard: str
    anchor: str  # "product-" or "indicator-": the id is appended
    en: str
    zh: str


def _templates(canonical_of: dict[int, str], facts, this_year: int) -> list[Template]:
    """What the rule finds about each changed standard where a product cites it, and where an
    indicator's test method is it. Neither depends on anything of the product but its name
    (and the indicator's), so one judgement per standard serves every citing declaration."""
    out: list[Template] = []
    for standard_id, canonical in sorted(canonical_of.items()):
        probes = {
            "cited": ProductFacts(pk=0, name=PRODUCT_MARK, cited=(canonical,)),
            "method": ProductFacts(
                pk=0,
                name=PRODUCT_MARK,
                indicators=(
                    IndicatorFacts(
                        pk=0, name=INDICATOR_MARK, direction="higher", method_standard=canonical
                    ),
                ),
            ),
        }
        for use, probe in probes.items():
            found = [
                f
                for f in findings_for([probe], facts, this_year=this_year)
                if f.code in CATALOG_CODES and f.standard == canonical
            ]
            if not found:  # nothing to say: the row still marks the declaration re-checked
                out.append(Template(standard_id, use, None, "", canonical, "", "", ""))
            for finding, text in zip(found, _texts(found), strict=True):
                assert finding.anchor.endswith("-0"), finding.anchor
                out.append(
                    Template(
                        standard_id,
                        use,
                        finding.code,
                        str(finding.severity),
                        canonical,
                        finding.anchor[:-1],
                        text["en"],
                        text["zh-hans"],
                    )
                )
    return out


def _reference_rows(ids: list[int], facts, changed: set[str], this_year: int) -> list[tuple]:
    """The findings of indicators whose corresponding standard changed: these depend on the
    declared values, so each indicator is judged by the rule itself (they are few)."""
    rows = []
    for row in (
        Indicator.objects.filter(
            reference_standard_id__in=ids, product__declaration__state__in=RECHECKED_STATES
        )
        .order_by("pk")
        .values(
            "pk",
            "product__declaration_id",
            "product_id",
            "product__name",
            "name",
            "direction",
            "value",
            "minimum",
            "maximum",
            "unit",
            "method_standard__canonical",
            "own_method",
            "reference_standard__canonical",
            "reference_value",
            "reference_minimum",
            "reference_maximum",
            "statement",
        )
        .iterator(chunk_size=2000)
    ):
        indicator = IndicatorFacts(
            pk=row["pk"],
            name=row["name"],
            direction=row["direction"],
            value=row["value"],
            minimum=row["minimum"],
            maximum=row["maximum"],
            unit=row["unit"],
            method_standard=row["method_standard__canonical"],
            own_method=row["own_method"],
            reference=row["reference_standard__canonical"],
            reference_value=row["reference_value"],
            reference_minimum=row["reference_minimum"],
            reference_maximum=row["reference_maximum"],
            statement=row["statement"],
        )
        product = ProductFacts(
            pk=row["product_id"], name=row["product__name"], indicators=(indicator,)
        )
        found = [
            f
            for f in findings_for([product], facts, this_year=this_year)
            if f.code in CATALOG_CODES and f.standard in changed
        ]
        rows.append((row["product__declaration_id"], *[None] * 9, row["pk"]))  # re-checked
        for finding, text in zip(found, _texts(found), strict=True):
            rows.append(
                (
                    row["product__declaration_id"],
                    finding_key(finding),
                    None,  # no template: the message is here
                    finding.code,
                    str(finding.severity),
                    finding.product[:200],
                    finding.standard[:200],
                    finding.indicator[:200],
                    finding.anchor[:40],
                    json.dumps(text, ensure_ascii=False),
                    row["pk"],
                )
            )
    return rows


def standards_recheck(standard_ids: Iterable[int]) -> Rechecked:
    """Re-check the public declarations naming any of these standards (the hook's listener).

    Each changed standard is judged once by the one rule (`_templates`); the findings of the
    products citing it (and of the indicators measured by it) are then written by SQL, one
    INSERT ... SELECT for all of them, the product's and indicator's names filled into the
    judged message. Indicators corresponding to a changed standard are judged one by one
    (`_reference_rows`). `tests/declarations/test_recheck_sql.py` holds the result equal to
    the rule's own findings of each declaration, on generated cases."""
    ids = sorted(set(standard_ids))
    result = Rechecked(standards=len(ids))
    if not ids:
        return result
    named = _named(ids)
    if not named:  # no re-checked declaration names any of them: nothing to judge or close
        return result
    canonical_of = dict(Standard.objects.filter(pk__in=ids).values_list("pk", "canonical"))
    changed = set(canonical_of.values())
    judged = {pk: canonical for pk, canonical in canonical_of.items() if pk in named}
    facts = standard_facts(set(judged.values()))
    this_year = today().year
    templates = _templates(judged, facts, this_year)
    references = _reference_rows(ids, facts, changed, this_year)
    with transaction.atomic():
        _recheck_sql(canonical_of, templates, references, result)
    return result


def _named(ids: list[int]) -> set[int]:
    """Those of these standards that a product of a re-checked declaration cites, or that an
    indicator of one measures by or corresponds to. Only these can give a finding: judging
    the others (an import settles every standard it wrote) would find nothing to write."""
    named: set[int] = set()
    states = {"product__declaration__state__in": RECHECKED_STATES}
    for id_batch in batches(ids, 1000):
        named.update(
            CitedStandard.objects.filter(standard_id__among=id_batch, **states).values_list(
                "standard_id", flat=True
            )
        )
        for column in ("method_standard_id", "reference_standard_id"):
            named.update(
                Indicator.objects.filter(**{f"{column}__among": id_batch}, **states).values_list(
                    column, flat=True
                )
            )
    return named


# Every product citing a changed standard and every indicator measured by one, with its judged
# findings: one pass over citations and indicators, products and declarations read once.
_FOUND = """
INSERT INTO recheck_found
SELECT p.declaration_id,
       SUBSTR(t.code || '|' || p.name || '|' || t.standard || '|' || x.indicator, 1, 400),
       t.id, t.code, t.severity, SUBSTR(p.name, 1, 200), t.standard, SUBSTR(x.indicator, 1, 200),
       t.anchor || x.source, NULL, x.source
FROM (SELECT c.standard_id, 'cited' AS use, c.product_id, '' AS indicator,
             c.product_id AS source
      FROM {cited} c
      UNION ALL
      SELECT i.method_standard_id, 'method', i.product_id, i.name, i.id
      FROM {indicator} i WHERE i.method_standard_id IS NOT NULL) x
JOIN recheck_template t ON t.standard_id = x.standard_id AND t.use = x.use
JOIN {product} p ON p.id = x.product_id
JOIN {declaration} d ON d.id = p.declaration_id
WHERE d.state IN ({states})
"""
# Findings no longer found: open, about a changed standard, of a re-checked declaration.
_CLOSE = """
UPDATE {finding} SET closed_at = %s
WHERE closed_at IS NULL
  AND standard IN (SELECT canonical FROM recheck_changed)
  AND declaration_id IN (SELECT declaration_id FROM recheck_found)
  AND NOT EXISTS (SELECT 1 FROM recheck_found f
                  WHERE f.declaration_id = {finding}.declaration_id AND f.key = {finding}.key
                    AND f.code IS NOT NULL)
"""
# New findings: one per declaration and key (the one of the latest product or indicator, as
# the rule's own list keeps the last), unless already open. The message is the judged one,
# kept once (its wording; the names are put in when read); rows judged in Python bring their
# own messages.
_RAISE = """
INSERT INTO {finding}
    (declaration_id, key, code, severity, product, standard, indicator, anchor, messages,
     wording_id, raised_at)
SELECT f.declaration_id, f.key, f.code, f.severity, f.product, f.standard, f.indicator,
       f.anchor, COALESCE({json}, {empty}), t.wording, %s
FROM (SELECT recheck_found.*, ROW_NUMBER() OVER (
          PARTITION BY declaration_id, key ORDER BY source DESC) AS n
      FROM recheck_found WHERE code IS NOT NULL) f
LEFT JOIN recheck_template t ON t.id = f.template
WHERE f.n = 1 AND NOT EXISTS (
    SELECT 1 FROM {finding} o
    WHERE o.declaration_id = f.declaration_id AND o.key = f.key AND o.closed_at IS NULL)
"""
_TEMP_TABLES = {
    "recheck_changed": "id BIGINT PRIMARY KEY, canonical TEXT",
    "recheck_template": (
        "id BIGINT PRIMARY KEY, standard_id BIGINT, use TEXT, code TEXT, severity TEXT, "
        "standard TEXT, anchor TEXT, wording BIGINT"
    ),
    "recheck_found": (
        "declaration_id BIGINT, key TEXT, template BIGINT, code TEXT, severity TEXT, "
        "product TEXT, standard TEXT, indicator TEXT, anchor TEXT, messages TEXT, source BIGINT"
    ),
}


def _values(cursor, table: str, rows: list[tuple], per_statement: int = 50) -> None:
    """Insert rows into a temporary table, many to a statement."""
    for chunk in batches(rows, per_statement):
        one = "(" + ", ".join(["%s"] * len(chunk[0])) + ")"
        cursor.execute(
            f"INSERT INTO {table} VALUES {', '.join([one] * len(chunk))}",
            [value for row in chunk for value in row],
        )


def _recheck_sql(canonical_of, templates: list[Template], references, result: Rechecked) -> None:
    postgres = connection.vendor == "postgresql"
    names = {
        "cited": CitedStandard._meta.db_table,
        "product": Product._meta.db_table,
        "declaration": Declaration._meta.db_table,
        "indicator": Indicator._meta.db_table,
        "finding": RecheckFinding._meta.db_table,
        "states": ", ".join(f"'{state}'" for state in RECHECKED_STATES),
        "json": "f.messages::jsonb" if postgres else "f.messages",
        "empty": "'{}'::jsonb" if postgres else "'{}'",
    }
    wordings = _wordings(templates)
    now = timezone.now()
    with connection.cursor() as cursor:
        for table, columns in _TEMP_TABLES.items():
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")
        _values(cursor, "recheck_changed", sorted(canonical_of.items()))
        _values(
            cursor,
            "recheck_template",
            [
                (
                    n,
                    t.standard_id,
                    t.use,
                    t.code,
                    t.severity,
                    t.standard,
                    t.anchor,
                    wordings.get((t.en, t.zh)),
                )
                for n, t in enumerate(templates, start=1)
            ],
        )
        if postgres:  # temporary tables have no statistics until analyzed; sorts in memory
            cursor.execute("ANALYZE recheck_changed")
            cursor.execute("ANALYZE recheck_template")
            cursor.execute("SET LOCAL work_mem = '256MB'")
        if templates:
            cursor.execute(_FOUND.format(**names))
        _values(cursor, "recheck_found", references)
        # Every declaration naming a changed standard has a row in recheck_found (a finding,
        # or a row without one).
        cursor.execute("SELECT COUNT(DISTINCT declaration_id) FROM recheck_found")
        result.declarations = cursor.fetchone()[0]
        cursor.execute(_CLOSE.format(**names), [now])
        result.closed += max(cursor.rowcount, 0)
        cursor.execute(_RAISE.format(**names), [now])
        result.raised += max(cursor.rowcount, 0)
        for table in _TEMP_TABLES:
            cursor.execute(f"DROP TABLE {table}")


def _wordings(templates: list[Template]) -> dict[tuple[str, str], int]:
    """The id of each judged message (`RecheckWording`), kept once whatever the number of
    re-checks and findings that raise it."""
    digests = {
        hashlib.sha256(f"{t.en}\x00{t.zh}".encode()).hexdigest(): (t.en, t.zh)
        for t in templates
        if t.code is not None
    }
    if not digests:
        return {}
    RecheckWording.objects.bulk_create(
        [RecheckWording(digest=d, en=en, zh=zh) for d, (en, zh) in digests.items()],
        ignore_conflicts=True,
        batch_size=500,
    )
    out = {}
    for chunk in batches(sorted(digests), 1000):
        for digest, pk in RecheckWording.objects.filter(digest__in=chunk).values_list(
            "digest", "pk"
        ):
            out[digests[digest]] = pk
    return out


def _texts(findings: list[Finding]) -> list[dict[str, str]]:
    """Each finding's message in both languages. A finding's message is a lazy translation:
    its source text is read once per finding (with no language active), and each distinct
    source text is translated once per language, not once per finding."""
    with translation.override(None):
        sources = [str(finding.message) for finding in findings]
    out: list[dict[str, str]] = [{} for _finding in findings]
    for language in ("en", "zh-hans"):
        translated: dict[str, str] = {}
        with translation.override(language):
            for text, source, finding in zip(out, sources, findings, strict=True):
                template = translated.get(source)
                if template is None:
                    template = translated[source] = gettext(source)
                text[language] = template % finding.params
    return out


def findings_record(declaration: Declaration, findings: list[Finding]) -> Rechecked:
    """Keep the findings of a declaration as it is made public (declared or recorded from an
    import): open until a later check no longer finds them."""
    result = Rechecked(declarations=1)
    _store({declaration.pk: {finding_key(f): f for f in findings}}, None, result)
    return result


def _store(
    found: dict[int, dict[str, Finding]], changed: set[str] | None, result: Rechecked
) -> None:
    """Raise the new findings and close those no longer found (about the changed standards,
    or, with `changed` None, any)."""
    now = timezone.now()
    fresh: list[tuple[int, str, Finding]] = []
    closing: list[int] = []
    with transaction.atomic():
        open_rows: dict[int, dict[str, tuple[int, str]]] = defaultdict(dict)
        for ids in batches(list(found), 1000):
            for pk, declaration_id, key, standard in RecheckFinding.objects.filter(
                declaration_id__in=ids, closed_at__isnull=True
            ).values_list("pk", "declaration_id", "key", "standard"):
                open_rows[declaration_id][key] = (pk, standard)
        for declaration_id, mine in found.items():
            already = open_rows.get(declaration_id, {})
            for key, finding in mine.items():
                if key not in already:
                    fresh.append((declaration_id, key, finding))
            for key, (pk, standard) in already.items():
                if key not in mine and (changed is None or standard in changed):
                    closing.append(pk)
        texts = _texts([finding for _d, _k, finding in fresh])
        rows = (
            (
                declaration_id,
                key,
                finding.code,
                str(finding.severity),
                finding.product[:200],
                finding.standard[:200],
                finding.indicator[:200],
                finding.anchor[:40],
                text,
                now,
            )
            for (declaration_id, key, finding), text in zip(fresh, texts, strict=True)
        )
        columns = (
            "declaration",
            "key",
            "code",
            "severity",
            "product",
            "standard",
            "indicator",
            "anchor",
            "messages",
            "raised_at",
        )
        result.raised += rows_insert(rows_prepare(RecheckFinding, columns, rows))
        for ids in batches(closing, 1000):
            result.closed += RecheckFinding.objects.filter(pk__in=ids).update(closed_at=now)


def open_findings(declaration: Declaration) -> list[RecheckFinding]:
    return list(
        declaration.recheck_findings.filter(closed_at__isnull=True)
        .select_related("wording")
        .order_by("pk")
    )


def recheck_findings_for(user, declaration: Declaration, *, member: bool) -> list[RecheckFinding]:
    """The open re-check findings, for the enterprise's members and the regulator only."""
    if member or (user is not None and user.has_perm("declarations.supervise_declaration")):
        return open_findings(declaration)
    return []


# ----------------------------------------------------------------------------------------------
# The enterprise's watch list of what its declarations cite


def declared_canonicals(declaration: Declaration) -> set[str]:
    """Every catalog standard a declaration names: cited, test methods, corresponding ones."""
    names = set(
        CitedStandard.objects.filter(product__declaration=declaration).values_list(
            "standard__canonical", flat=True
        )
    )
    for method, reference in Indicator.objects.filter(product__declaration=declaration).values_list(
        "method_standard__canonical", "reference_standard__canonical"
    ):
        names.update(n for n in (method, reference) if n)
    return names


def declaration_watch_sync(declaration: Declaration, actor=None) -> WatchList:
    """Put the standards a declaration names on its enterprise's watch list (made on first
    use), and the person declaring among its watchers (no email unless they choose one)."""
    link = (
        DeclarationWatch.objects.select_related("watch_list")
        .filter(enterprise_id=declaration.enterprise_id)
        .first()
    )
    if link is None:
        name = gettext("Standards cited in our declarations")  # in the declaring person's language
        watch_list = WatchList.objects.create(
            organization_id=declaration.enterprise_id,
            name=name,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        link = DeclarationWatch.objects.create(
            enterprise_id=declaration.enterprise_id, watch_list=watch_list
        )
    watch_list = link.watch_list
    WatchItem.objects.bulk_create(
        [
            WatchItem(watch_list=watch_list, kind=ItemKind.EDITION, value=canonical)
            for canonical in sorted(declared_canonicals(declaration))
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    if (
        getattr(actor, "pk", None)
        and not Watcher.objects.filter(watch_list=watch_list, user=actor).exists()
    ):
        watcher_set(watch_list=watch_list, user=actor, digest=Digest.NONE)
    return watch_list


def declaration_watch(enterprise_id: int) -> WatchList | None:
    link = (
        DeclarationWatch.objects.select_related("watch_list")
        .filter(enterprise_id=enterprise_id)
        .first()
    )
    return link.watch_list if link else None
