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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
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
    CitedStandard,
    Declaration,
    DeclarationWatch,
    Indicator,
    RecheckFinding,
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


def _products(standard_ids: list[int]) -> dict[int, dict[int, dict]]:
    """{declaration id: {product id: {"name", "cited", "indicators"}}} for the public
    declarations naming one of the standards, read through the foreign keys' indexes."""
    found: dict[int, dict[int, dict]] = defaultdict(dict)

    def product(declaration_id: int, product_id: int, name: str) -> dict:
        return found[declaration_id].setdefault(
            product_id, {"name": name, "cited": [], "indicators": []}
        )

    for ids in batches(standard_ids, 1000):
        for declaration_id, product_id, name, canonical in CitedStandard.objects.filter(
            standard_id__in=ids, product__declaration__state__in=RECHECKED_STATES
        ).values_list(
            "product__declaration_id", "product_id", "product__name", "standard__canonical"
        ):
            product(declaration_id, product_id, name)["cited"].append(canonical)
        indicators = Indicator.objects.filter(
            product__declaration__state__in=RECHECKED_STATES
        ).filter(method_standard_id__in=ids) | Indicator.objects.filter(
            product__declaration__state__in=RECHECKED_STATES, reference_standard_id__in=ids
        )
        for row in indicators.values(
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
        ):
            item = product(row["product__declaration_id"], row["product_id"], row["product__name"])
            if all(row["pk"] != i.pk for i in item["indicators"]):
                item["indicators"].append(
                    IndicatorFacts(
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
                )
    return found


def standards_recheck(standard_ids: Iterable[int]) -> Rechecked:
    """Re-check the public declarations naming any of these standards (the hook's listener)."""
    ids = sorted(set(standard_ids))
    result = Rechecked(standards=len(ids))
    if not ids:
        return result
    changed = set(Standard.objects.filter(pk__in=ids).values_list("canonical", flat=True))
    declarations = _products(ids)
    if not declarations:
        return result
    facts = standard_facts(changed)
    this_year = today().year
    found: dict[int, dict[str, Finding]] = {}
    for declaration_id, products in declarations.items():
        product_facts = [
            ProductFacts(
                pk=pk,
                name=item["name"],
                cited=tuple(item["cited"]),
                indicators=tuple(item["indicators"]),
            )
            for pk, item in products.items()
        ]
        mine = {}
        for finding in findings_for(product_facts, facts, this_year=this_year):
            if finding.code in CATALOG_CODES and finding.standard in changed:
                mine[finding_key(finding)] = finding
        found[declaration_id] = mine
    result.declarations = len(found)
    _store(found, changed, result)
    return result


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
    return list(declaration.recheck_findings.filter(closed_at__isnull=True).order_by("pk"))


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
