"""The automatic findings of many declarations at once, for the ranking.

The same facts `declarations.selectors.declaration_facts` builds for one declaration, read for
a whole category in a few queries, judged by the one rule (`declarations.checking.findings_for`)
with each standard's status from the validity check engine (`declarations.selectors.
standard_facts`, one run over the distinct standards cited).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, QuerySet

from stdplus.catalog.models import Standard
from stdplus.core.dates import today
from stdplus.declarations.checking import (
    IndicatorFacts,
    ProductFacts,
    QStandardFacts,
    findings_for,
)
from stdplus.declarations.choices import PUBLIC_STATES
from stdplus.declarations.models import (
    CitedStandard,
    EnterpriseStandard,
    Indicator,
    Product,
)
from stdplus.declarations.selectors import standard_facts


def _canonicals(ids: Iterable[int]) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(Standard.objects.filter(pk__in=ids).values_list("pk", "canonical"))


def suspects(declarations: QuerySet) -> set[int]:
    """The ids of the declarations whose findings may have changed since they were declared.

    Declaring needs no error among the findings (the declare step's guard), and what a public
    version says never changes (`services._editable`); so an error can appear later only
    through what lies outside the declaration: a standard it cites or measures by leaving
    force (its status), a standard an indicator corresponds to becoming mandatory (its
    mandate), or another public version of the enterprise giving one of its Q/ numbers to
    another title. A declaration touched by none of these still passes; the others are judged
    again in full by the one rule. Versions not in force are always judged in full."""
    # The standards are few: read first, they are given to each look-up as a list, which the
    # database reads by its index (as a subquery, a planner that counts one test method for
    # every indicator would scan them all). An empty list needs no query.
    moved = list(
        Standard.objects.exclude(status__in=("current", "upcoming"))
        .order_by()
        .values_list("pk", flat=True)
    )
    mandatory = list(
        Standard.objects.filter(mandate="mandatory").order_by().values_list("pk", flat=True)
    )

    # A Q/ number given two titles by public versions is first a number given two titles at
    # all: those (usually none) are found in the enterprise standards alone, and only they
    # are checked against the versions' states (which read every declaration).
    def clashing(standards: QuerySet) -> list[str]:
        return list(
            standards.order_by()
            .values("enterprise_id", "number")
            .annotate(titles=Count("title", distinct=True))
            .filter(titles__gt=1)
            .values_list("number", flat=True)
            .distinct()
        )

    numbers = clashing(EnterpriseStandard.objects.all())
    if numbers:
        numbers = clashing(
            EnterpriseStandard.objects.filter(
                number__among=numbers, product__declaration__state__in=PUBLIC_STATES
            )
        )
    touched = [
        CitedStandard.objects.filter(standard_id__among=moved) if moved else None,
        Indicator.objects.filter(method_standard_id__among=moved) if moved else None,
        Indicator.objects.filter(reference_standard_id__among=mandatory) if mandatory else None,
        EnterpriseStandard.objects.filter(number__among=numbers) if numbers else None,
    ]
    # Each list is small and read by its index; only those declarations are then looked up
    # among the queryset's (a category's 100,000 declarations are never read).
    touched_ids: set[int] = set()
    for rows in touched:
        if rows is not None:
            touched_ids.update(rows.values_list("product__declaration_id", flat=True))
    found = set(declarations.exclude(state="declared").order_by().values_list("pk", flat=True))
    if touched_ids:
        found.update(
            declarations.filter(pk__among=sorted(touched_ids))
            .order_by()
            .values_list("pk", flat=True)
        )
    return found


def errors_by_declaration(declarations: QuerySet) -> dict[int, tuple[str, ...]]:
    """For each declaration of the queryset judged again (see `suspects`), the codes of its
    error findings; a declaration absent from the answer passes."""
    ids = sorted(suspects(declarations))
    return errors_of(ids) if ids else {}


def errors_of(ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The codes of the error findings of each declaration of `ids` (empty: it passes), in
    full. The ids are given as one list (`among`), so each table is read by its index, once
    whatever their number: the products by their declarations', then the rest by the
    products' (with no join, which a planner might make a scan of every product)."""
    products: dict[int, list[tuple[int, str]]] = defaultdict(list)
    product_ids = []
    for pk, declaration_id, name in Product.objects.filter(declaration_id__among=ids).values_list(
        "pk", "declaration_id", "name"
    ):
        products[declaration_id].append((pk, name))
        product_ids.append(pk)
    cited: dict[int, list[int]] = defaultdict(list)
    for product_id, standard_id in CitedStandard.objects.filter(
        product_id__among=product_ids
    ).values_list("product_id", "standard_id"):
        cited[product_id].append(standard_id)
    indicators: dict[int, list[tuple]] = defaultdict(list)
    for row in Indicator.objects.filter(product_id__among=product_ids).values_list(
        "product_id",
        "pk",
        "name",
        "direction",
        "value",
        "minimum",
        "maximum",
        "unit",
        "method_standard_id",
        "own_method",
        "reference_standard_id",
        "reference_value",
        "reference_minimum",
        "reference_maximum",
        "statement",
    ):
        indicators[row[0]].append(row[1:])
    qrows = list(
        EnterpriseStandard.objects.filter(product_id__among=product_ids).values_list(
            "product_id", "pk", "enterprise_id", "number", "title", "text_size"
        )
    )
    titles: dict[tuple[int, str], set[str]] = defaultdict(set)
    if qrows:
        numbers = {(e, n) for _, _, e, n, _, _ in qrows}
        for enterprise_id, number, title in EnterpriseStandard.objects.filter(
            enterprise_id__in={e for e, _ in numbers},
            number__in={n for _, n in numbers},
            product__declaration__state__in=PUBLIC_STATES,
        ).values_list("enterprise_id", "number", "title"):
            titles[(enterprise_id, number)].add(title)
    qstandards: dict[int, list[QStandardFacts]] = defaultdict(list)
    for product_id, pk, enterprise_id, number, title, size in qrows:
        clashes = tuple(sorted(titles[(enterprise_id, number)] - {title}))
        qstandards[product_id].append(QStandardFacts(pk, number, title, bool(size), clashes))
    names = _canonicals(
        [s for ids in cited.values() for s in ids]
        + [r[7] for rows in indicators.values() for r in rows]
        + [r[9] for rows in indicators.values() for r in rows]
    )
    standards = standard_facts(set(names.values()))
    this_year = today().year
    out: dict[int, tuple[str, ...]] = {}
    for declaration_id in products:
        facts = []
        for product_id, name in products.get(declaration_id, ()):
            facts.append(
                ProductFacts(
                    pk=product_id,
                    name=name,
                    cited=tuple(names[s] for s in cited.get(product_id, ())),
                    qstandards=tuple(qstandards.get(product_id, ())),
                    indicators=tuple(
                        IndicatorFacts(
                            pk=r[0],
                            name=r[1],
                            direction=r[2],
                            value=r[3],
                            minimum=r[4],
                            maximum=r[5],
                            unit=r[6],
                            method_standard=names.get(r[7]),
                            own_method=r[8],
                            reference=names.get(r[9]),
                            reference_value=r[10],
                            reference_minimum=r[11],
                            reference_maximum=r[12],
                            statement=r[13],
                        )
                        for r in indicators.get(product_id, ())
                    ),
                )
            )
        found = findings_for(facts, standards, this_year=this_year)
        out[declaration_id] = tuple(f.code for f in found if f.is_error)
    return out
