"""The automatic checks of a declaration: pure functions over plain facts.

`findings_for(products, standards, this_year=...)` judges what a declaration says, given, for
every catalog standard it names, its status as the validity check engine derives it today
(`StandardFacts`, built by `selectors.declaration_facts` with `checks.engine.check_run`, so the
replacement chain is the catalog's one rule). No database, no request: the page, the API and
the declare step read the same findings.

Each finding has a severity (an error stops the declaration; a warning is shown), a code, a
translatable message whose parameters name the product, the standard and the indicator, and the
anchor of the place to fix it on the declaration's page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .choices import Direction, Severity
from .numbering import QNumber, qnumber_parse

WITHDRAWN, SUPERSEDED, UPCOMING, CURRENT = "withdrawn", "superseded", "upcoming", "current"
MANDATORY = "mandatory"


@dataclass(frozen=True)
class StandardFacts:
    canonical: str
    status: str
    mandate: str = ""
    effective: dt.date | None = None
    current: str | None = None  # the standard in force at the end of the replacement chain
    replaced_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorFacts:
    pk: int
    name: str
    direction: str
    value: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    unit: str = ""
    method_standard: str | None = None
    own_method: str = ""
    reference: str | None = None
    reference_value: Decimal | None = None
    reference_minimum: Decimal | None = None
    reference_maximum: Decimal | None = None
    statement: str = ""


@dataclass(frozen=True)
class QStandardFacts:
    pk: int
    number: str
    title: str
    has_text: bool = False
    clashes_with: tuple[str, ...] = ()  # titles of other standards of the enterprise, same number


@dataclass(frozen=True)
class ProductFacts:
    pk: int
    name: str
    cited: tuple[str, ...] = ()
    qstandards: tuple[QStandardFacts, ...] = ()
    indicators: tuple[IndicatorFacts, ...] = ()


@dataclass
class Finding:
    severity: str
    code: str
    message: object
    params: dict = field(default_factory=dict)
    product: str = ""
    standard: str = ""
    indicator: str = ""
    anchor: str = ""

    @property
    def text(self) -> str:
        """The message in the active language."""
        return str(self.message) % self.params

    def texts(self) -> dict[str, str]:
        """The message in both languages."""
        out = {}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                out[language] = self.text
        return out

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


def _standard_findings(product: ProductFacts, canonical: str, facts: StandardFacts | None):
    base = {"product": product.name, "standard": canonical}
    anchor = f"product-{product.pk}"
    if facts is None:
        yield Finding(
            Severity.ERROR,
            "standard_unknown",
            _("%(product)s: %(standard)s is not in the catalog."),
            base,
            product.name,
            canonical,
            anchor=anchor,
        )
        return
    successor = facts.current or (facts.replaced_by[0] if facts.replaced_by else "")
    if facts.status in (WITHDRAWN, SUPERSEDED):
        if successor:
            message = (
                _("%(product)s cites %(standard)s, which is withdrawn; it was replaced by %(by)s.")
                if facts.status == WITHDRAWN
                else _("%(product)s cites %(standard)s, which is superseded by %(by)s.")
            )
        else:
            message = _("%(product)s cites %(standard)s, which is withdrawn without a replacement.")
        yield Finding(
            Severity.ERROR,
            f"standard_{facts.status}",
            message,
            {**base, "by": successor},
            product.name,
            canonical,
            anchor=anchor,
        )
    elif facts.status == UPCOMING:
        yield Finding(
            Severity.WARNING,
            "standard_upcoming",
            _("%(product)s cites %(standard)s, which is not yet in force (in force from %(on)s)."),
            {**base, "on": facts.effective.isoformat() if facts.effective else "—"},
            product.name,
            canonical,
            anchor=anchor,
        )


def _weaker(indicator: IndicatorFacts) -> bool | None:
    """Whether the declared value is weaker than the corresponding standard's (None: unknown)."""
    if indicator.direction == Direction.HIGHER:
        if indicator.value is None or indicator.reference_value is None:
            return None
        return indicator.value < indicator.reference_value
    if indicator.direction == Direction.LOWER:
        if indicator.value is None or indicator.reference_value is None:
            return None
        return indicator.value > indicator.reference_value
    known = False
    weaker = False
    if indicator.minimum is not None and indicator.reference_minimum is not None:
        known, weaker = True, weaker or indicator.minimum < indicator.reference_minimum
    if indicator.maximum is not None and indicator.reference_maximum is not None:
        known, weaker = True, weaker or indicator.maximum > indicator.reference_maximum
    return weaker if known else None


def _indicator_findings(
    product: ProductFacts, indicator: IndicatorFacts, standards: Mapping[str, StandardFacts]
):
    anchor = f"indicator-{indicator.pk}"
    base = {"product": product.name, "indicator": indicator.name}
    if not indicator.method_standard and not indicator.own_method.strip():
        yield Finding(
            Severity.ERROR,
            "method_missing",
            _(
                "%(product)s, indicator “%(indicator)s”: no test method (cite a method standard "
                "or state the enterprise's own method)."
            ),
            base,
            product.name,
            indicator=indicator.name,
            anchor=anchor,
        )
    elif indicator.method_standard:
        method = standards.get(indicator.method_standard)
        if method is not None and method.status in (WITHDRAWN, SUPERSEDED):
            yield Finding(
                Severity.WARNING,
                "method_outdated",
                _(
                    "%(product)s, indicator “%(indicator)s”: the test method %(standard)s is "
                    "no longer in force (now: %(by)s)."
                ),
                {**base, "standard": method.canonical, "by": method.current or "—"},
                product.name,
                method.canonical,
                indicator.name,
                anchor,
            )
    if not indicator.reference:
        return
    reference = standards.get(indicator.reference)
    weaker = _weaker(indicator)
    if reference is None or not weaker:
        return
    params = {**base, "standard": reference.canonical}
    if reference.mandate == MANDATORY:
        yield Finding(
            Severity.ERROR,
            "below_mandatory",
            _(
                "%(product)s, indicator “%(indicator)s” is weaker than in the mandatory standard "
                "%(standard)s: a product may not fall below a mandatory standard."
            ),
            params,
            product.name,
            reference.canonical,
            indicator.name,
            anchor,
        )
    elif not indicator.statement.strip():
        yield Finding(
            Severity.ERROR,
            "below_recommended_unstated",
            _(
                "%(product)s, indicator “%(indicator)s” is weaker than in %(standard)s: say so "
                "explicitly in the indicator's statement."
            ),
            params,
            product.name,
            reference.canonical,
            indicator.name,
            anchor,
        )


def _qstandard_findings(product: ProductFacts, qstandard: QStandardFacts, this_year: int):
    anchor = f"qstandard-{qstandard.pk}"
    base = {"product": product.name, "standard": qstandard.number}
    parsed = qnumber_parse(qstandard.number, this_year=this_year)
    if not isinstance(parsed, QNumber):
        yield Finding(
            Severity.ERROR,
            "number_malformed",
            _("%(product)s: the enterprise standard number %(standard)s is malformed."),
            base,
            product.name,
            qstandard.number,
            anchor=anchor,
        )
    if qstandard.clashes_with:
        yield Finding(
            Severity.ERROR,
            "number_duplicate",
            _(
                "%(product)s: the number %(standard)s is already used by the enterprise for "
                "“%(other)s”."
            ),
            {**base, "other": qstandard.clashes_with[0]},
            product.name,
            qstandard.number,
            anchor=anchor,
        )
    if not qstandard.has_text and not product.indicators:
        yield Finding(
            Severity.ERROR,
            "qstandard_undisclosed",
            _("%(product)s follows %(standard)s: upload its text or disclose its indicators."),
            base,
            product.name,
            qstandard.number,
            anchor=anchor,
        )


def findings_for(
    products: Sequence[ProductFacts],
    standards: Mapping[str, StandardFacts],
    *,
    this_year: int,
) -> list[Finding]:
    """Every finding of a declaration, product by product, errors first within a product."""
    found: list[Finding] = []
    if not products:
        found.append(
            Finding(
                Severity.ERROR,
                "no_products",
                _("The declaration names no product or service."),
                anchor="products",
            )
        )
    for product in products:
        mine: list[Finding] = []
        if not product.cited and not product.qstandards:
            mine.append(
                Finding(
                    Severity.ERROR,
                    "no_standard",
                    _("%(product)s follows no standard: cite one or add the enterprise's own."),
                    {"product": product.name},
                    product.name,
                    anchor=f"product-{product.pk}",
                )
            )
        for canonical in product.cited:
            mine.extend(_standard_findings(product, canonical, standards.get(canonical)))
        for qstandard in product.qstandards:
            mine.extend(_qstandard_findings(product, qstandard, this_year))
        for indicator in product.indicators:
            mine.extend(_indicator_findings(product, indicator, standards))
            if indicator.reference and indicator.reference not in product.cited:
                mine.append(
                    Finding(
                        Severity.WARNING,
                        "reference_not_cited",
                        _(
                            "%(product)s, indicator “%(indicator)s”: the corresponding standard "
                            "%(standard)s is not among the standards the product cites."
                        ),
                        {
                            "product": product.name,
                            "indicator": indicator.name,
                            "standard": indicator.reference,
                        },
                        product.name,
                        indicator.reference,
                        indicator.name,
                        f"indicator-{indicator.pk}",
                    )
                )
        mine.sort(key=lambda finding: finding.severity != Severity.ERROR)
        found.extend(mine)
    return found
