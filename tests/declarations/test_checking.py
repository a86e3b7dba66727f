"""The automatic checks: the pure rules, and the same rules over the catalog (the validity
check engine's statuses and chain)."""

from decimal import Decimal

import pytest
from django.utils import translation

from stdplus.declarations.checking import (
    IndicatorFacts,
    ProductFacts,
    QStandardFacts,
    StandardFacts,
    findings_for,
)
from stdplus.declarations.selectors import declaration_findings
from stdplus.declarations.services import (
    enterprise_standard_add,
    indicator_add,
    product_add,
    standard_cite,
)

from .conftest import (
    CURRENT_MANDATORY,
    CURRENT_RECOMMENDED,
    METHOD,
    SUCCESSOR,
    SUPERSEDED,
    UPCOMING,
    WITHDRAWN,
)

MANDATORY = StandardFacts("GB 1-2020", "current", "mandatory")
RECOMMENDED = StandardFacts("GB/T 2-2020", "current", "recommended")
FACTS = {f.canonical: f for f in (MANDATORY, RECOMMENDED)}


def _indicator(**values):
    base = {"pk": 1, "name": "能效", "direction": "higher", "method_standard": "GB/T 2-2020"}
    return IndicatorFacts(**{**base, **values})


def _codes(indicator, cited=("GB 1-2020", "GB/T 2-2020")):
    product = ProductFacts(pk=1, name="水壶", cited=cited, indicators=(indicator,))
    return [(f.severity, f.code) for f in findings_for([product], FACTS, this_year=2026)]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # higher is better: below the standard is weaker
        (
            {"value": Decimal(80), "reference": "GB 1-2020", "reference_value": Decimal(85)},
            [("error", "below_mandatory")],
        ),
        ({"value": Decimal(85), "reference": "GB 1-2020", "reference_value": Decimal(85)}, []),
        # lower is better: above the standard is weaker
        (
            {
                "direction": "lower",
                "value": Decimal(3),
                "reference": "GB 1-2020",
                "reference_value": Decimal(2),
            },
            [("error", "below_mandatory")],
        ),
        (
            {
                "direction": "lower",
                "value": Decimal(1),
                "reference": "GB 1-2020",
                "reference_value": Decimal(2),
            },
            [],
        ),
        # a range wider than the standard's is weaker
        (
            {
                "direction": "range",
                "minimum": Decimal(1),
                "maximum": Decimal(9),
                "reference": "GB 1-2020",
                "reference_minimum": Decimal(2),
                "reference_maximum": Decimal(9),
            },
            [("error", "below_mandatory")],
        ),
        (
            {
                "direction": "range",
                "minimum": Decimal(2),
                "maximum": Decimal(8),
                "reference": "GB 1-2020",
                "reference_minimum": Decimal(2),
                "reference_maximum": Decimal(9),
            },
            [],
        ),
        # weaker than a recommended standard: an error unless stated (明示)
        (
            {"value": Decimal(80), "reference": "GB/T 2-2020", "reference_value": Decimal(85)},
            [("error", "below_recommended_unstated")],
        ),
        (
            {
                "value": Decimal(80),
                "reference": "GB/T 2-2020",
                "reference_value": Decimal(85),
                "statement": "低于 GB/T 2 的 1 级",
            },
            [],
        ),
        # no test method at all; an own method stated is enough
        ({"method_standard": None, "value": Decimal(1)}, [("error", "method_missing")]),
        ({"method_standard": None, "own_method": "企业方法 QM-01", "value": Decimal(1)}, []),
    ],
)
def test_indicator_rules(values, expected):
    assert _codes(_indicator(**values)) == expected


def test_a_corresponding_standard_not_cited_is_a_warning():
    indicator = _indicator(value=Decimal(90), reference="GB 1-2020", reference_value=Decimal(85))
    assert _codes(indicator, cited=("GB/T 2-2020",)) == [("warning", "reference_not_cited")]


def test_q_standards_numbering_and_disclosure():
    product = ProductFacts(
        pk=3,
        name="水壶",
        qstandards=(
            QStandardFacts(pk=1, number="Q/AB-2020", title="x", has_text=True),
            QStandardFacts(pk=2, number="Q/SZHT 001-2024", title="y", clashes_with=("z",)),
        ),
    )
    codes = [f.code for f in findings_for([product], {}, this_year=2026)]
    assert codes == ["number_malformed", "number_duplicate", "qstandard_undisclosed"]


def test_nothing_declared_is_an_error():
    assert [f.code for f in findings_for([], {}, this_year=2026)] == ["no_products"]
    empty = ProductFacts(pk=1, name="水壶")
    assert [f.code for f in findings_for([empty], {}, this_year=2026)] == ["no_standard"]


def test_messages_name_product_standard_and_indicator_in_both_languages():
    indicator = _indicator(value=Decimal(80), reference="GB 1-2020", reference_value=Decimal(85))
    product = ProductFacts(pk=1, name="水壶", cited=("GB 1-2020",), indicators=(indicator,))
    (finding,) = findings_for([product], FACTS, this_year=2026)
    texts = finding.texts()
    for text in texts.values():
        assert "水壶" in text and "GB 1-2020" in text and "能效" in text
    assert "mandatory standard" in texts["en"]
    assert "强制性标准" in texts["zh-hans"]
    assert (finding.product, finding.standard, finding.indicator) == ("水壶", "GB 1-2020", "能效")


# ----------------------------------------------------------------------------------------------
# Over the catalog


def test_cited_standards_statuses_come_from_the_validity_check(draft, member, catalog):
    product = draft.products.get()
    for text in (SUPERSEDED, WITHDRAWN, UPCOMING):
        standard_cite(product=product, user=member, text=text)
    findings = {f.code: f for f in declaration_findings(draft)}
    assert set(findings) == {"standard_superseded", "standard_withdrawn", "standard_upcoming"}
    superseded = findings["standard_superseded"]
    assert superseded.severity == "error" and superseded.standard == SUPERSEDED
    with translation.override("en"):
        assert f"superseded by {SUCCESSOR}" in superseded.text
        assert "withdrawn without a replacement" in findings["standard_withdrawn"].text
        assert "not yet in force (in force from 2099-01-01)" in findings["standard_upcoming"].text
    assert findings["standard_upcoming"].severity == "warning"


def test_a_weaker_indicator_against_the_catalog_mandate(draft, member, catalog):
    product = draft.products.get()
    indicator_add(
        product=product,
        user=member,
        values={
            "name": "迁移量",
            "direction": "lower",
            "unit": "mg/kg",
            "value": "12",
            "method_standard": METHOD.lower(),
            "reference_standard": CURRENT_MANDATORY,
            "reference_value": "10",
        },
    )
    (finding,) = declaration_findings(draft)
    assert (finding.code, finding.standard, finding.indicator) == (
        "below_mandatory",
        CURRENT_MANDATORY,
        "迁移量",
    )


def test_a_clean_declaration_with_its_own_standard_has_no_findings(draft, member, catalog):
    product = product_add(
        declaration=draft, user=member, values={"name": "电饭煲", "category": "3854"}
    )
    enterprise_standard_add(product=product, user=member, number="Q/SZHT 001-2024", title="电饭煲")
    standard_cite(product=product, user=member, text=CURRENT_RECOMMENDED)
    indicator_add(
        product=product,
        user=member,
        values={
            "name": "热效率",
            "direction": "higher",
            "unit": "%",
            "value": "86",
            "method_standard": METHOD,
            "reference_standard": CURRENT_RECOMMENDED,
            "reference_value": "80",
        },
    )
    assert declaration_findings(draft) == []
