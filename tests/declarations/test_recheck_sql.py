"""The re-check's SQL path agrees with the one rule (`checking.findings_for`).

`standards_recheck` judges each changed standard once and writes the findings of every citing
declaration with SQL (the names filled into the judged message). Here, on generated
declarations (names with quotes, percent signs, bars, backslashes and Chinese; duplicated names;
every state; test methods and corresponding standards from a catalog holding withdrawn,
superseded, upcoming, mandatory and current standards), the findings it keeps are exactly those
the rule finds for each declaration, read the way the declaration's own page reads them
(`selectors.declaration_facts`): same keys, codes, severities, names, anchors and messages in
both languages; findings no longer found are closed, those still found are kept as they were.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stdplus.catalog.models import Standard
from stdplus.declarations.checking import findings_for
from stdplus.declarations.models import (
    CitedStandard,
    Declaration,
    Indicator,
    Product,
    RecheckFinding,
)
from stdplus.declarations.rechecks import (
    CATALOG_CODES,
    RECHECKED_STATES,
    finding_key,
    standards_recheck,
)
from stdplus.declarations.selectors import declaration_facts, standard_facts

from .conftest import make_enterprise

NAMES = st.sampled_from(
    ["电热水壶", 'Kettle 100% "pure"', "a|b", "back\\slash", "O'Brien's", "热效率", "x" * 200]
)
PRODUCT_NAMES = st.sampled_from(["电热水壶", 'Kettle 100% "pure"', "a|b"])
STATES = st.sampled_from(["declared", "declared", "suspended", "revised", "withdrawn", "draft"])
NUMBERS = st.none() | st.decimals(min_value=0, max_value=200, places=1)


@st.composite
def indicators(draw, standards):
    return {
        "name": draw(NAMES),
        "direction": draw(st.sampled_from(["higher", "lower", "range"])),
        "value": draw(NUMBERS),
        "minimum": draw(NUMBERS),
        "maximum": draw(NUMBERS),
        "method": draw(st.none() | st.sampled_from(standards)),
        "reference": draw(st.none() | st.sampled_from(standards)),
        "reference_value": draw(NUMBERS),
        "reference_minimum": draw(NUMBERS),
        "reference_maximum": draw(NUMBERS),
        "statement": draw(st.sampled_from(["", "明示: weaker"])),
    }


@st.composite
def declarations(draw, standards):
    return [
        {
            "state": draw(STATES),
            "products": [
                {
                    "name": draw(PRODUCT_NAMES),  # few: the same name twice in a declaration
                    "cited": draw(st.lists(st.sampled_from(standards), max_size=3, unique=True)),
                    "indicators": draw(st.lists(indicators(standards), max_size=3)),
                }
                for _n in range(draw(st.integers(1, 3)))
            ],
            "open": draw(st.lists(st.sampled_from(standards), max_size=2, unique=True)),
        }
        for _n in range(draw(st.integers(1, 4)))
    ]


def _make(enterprise, spec, by_key):
    declaration = Declaration.objects.create(
        enterprise=enterprise, state=spec["state"], declared_on=dt.date(2024, 1, 1)
    )
    for item in spec["products"]:
        product = Product.objects.create(
            declaration=declaration, name=item["name"], category="3854"
        )
        for key in item["cited"]:
            CitedStandard.objects.create(product=product, standard=by_key[key])
        for i in item["indicators"]:
            Indicator.objects.create(
                product=product,
                name=i["name"],
                unit="%",
                direction=i["direction"],
                value=i["value"],
                minimum=i["minimum"],
                maximum=i["maximum"],
                method_standard=by_key[i["method"]] if i["method"] else None,
                own_method="" if i["method"] else "own",
                reference_standard=by_key[i["reference"]] if i["reference"] else None,
                reference_value=i["reference_value"],
                reference_minimum=i["reference_minimum"],
                reference_maximum=i["reference_maximum"],
                statement=i["statement"],
            )
    earlier = timezone.now() - dt.timedelta(days=1)
    for key in spec["open"]:  # findings raised before, some found again, some not
        for code in ("standard_withdrawn", "method_outdated"):
            RecheckFinding.objects.create(
                declaration=declaration,
                key="|".join((code, spec["products"][0]["name"], key, "")),
                code=code,
                severity="error",
                product=spec["products"][0]["name"],
                standard=key,
                messages={"en": "before", "zh-hans": "之前"},
                raised_at=earlier,
            )
    return declaration


def _expected(declaration, changed: set[str]) -> dict:
    """The rule's own findings of the declaration about the changed standards, by key."""
    products, standards = declaration_facts(declaration)
    facts = standard_facts(changed)
    mine = {}
    for finding in findings_for(products, facts, this_year=timezone.now().year):
        if finding.code in CATALOG_CODES and finding.standard in changed:
            mine[finding_key(finding)] = finding
    return mine


def _names(declaration) -> set[str]:
    return set(
        CitedStandard.objects.filter(product__declaration=declaration).values_list(
            "standard__canonical", flat=True
        )
    ) | {
        n
        for pair in Indicator.objects.filter(product__declaration=declaration).values_list(
            "method_standard__canonical", "reference_standard__canonical"
        )
        for n in pair
        if n
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_sql_path_keeps_what_the_rule_finds(catalog, data):
    keys = sorted(s.canonical for s in catalog.values())
    by_key = {s.canonical: s for s in catalog.values()}
    specs = data.draw(declarations(keys))
    changed_keys = set(data.draw(st.lists(st.sampled_from(keys), min_size=1, unique=True)))
    with transaction.atomic():
        enterprise = make_enterprise()
        made = [_make(enterprise, spec, by_key) for spec in specs]
        before = {
            (f.declaration_id, f.key): f.pk
            for f in RecheckFinding.objects.filter(declaration__in=made)
        }
        result = standards_recheck([by_key[k].pk for k in changed_keys])
        affected = [d for d in made if d.state in RECHECKED_STATES and _names(d) & changed_keys]
        assert result.declarations == len(affected)
        raised = closed = 0
        for declaration in made:
            expected = _expected(declaration, changed_keys) if declaration in affected else {}
            rows = {
                f.key: f
                for f in RecheckFinding.objects.filter(
                    declaration=declaration, closed_at__isnull=True
                )
            }
            for key, finding in expected.items():
                row = rows[key]
                if (declaration.pk, key) in before:
                    assert row.pk == before[(declaration.pk, key)]  # kept as it was
                    continue
                raised += 1
                assert (row.code, row.severity, row.product, row.standard, row.indicator) == (
                    finding.code,
                    str(finding.severity),
                    finding.product[:200],
                    finding.standard[:200],
                    finding.indicator[:200],
                )
                assert row.anchor == finding.anchor
                assert row.texts() == finding.texts()
            for key, row in rows.items():
                if key not in expected:
                    # Open and not found: only what the re-check was not about stays open.
                    assert declaration not in affected or row.standard not in changed_keys
            closed += sum(
                1 for (d, key), pk in before.items() if d == declaration.pk and key not in rows
            )
        assert (result.raised, result.closed) == (raised, closed)
        transaction.set_rollback(True)


def test_names_are_filled_in_whatever_they_hold(catalog):
    """A product name with the characters SQL and JSON treat specially is written as is."""
    enterprise = make_enterprise()
    withdrawn = Standard.objects.get(canonical="GB/T 97103-2005")
    name = 'Kettle "K-1" 100% \\ | 壶 {x} %(product)s'
    declaration = Declaration.objects.create(
        enterprise=enterprise, state="declared", declared_on=dt.date(2024, 1, 1)
    )
    product = Product.objects.create(declaration=declaration, name=name, category="3854")
    CitedStandard.objects.create(product=product, standard=withdrawn)
    Indicator.objects.create(
        product=product,
        name='功率 "P"',
        unit="W",
        direction="lower",
        value=Decimal("5"),
        method_standard=withdrawn,
    )
    assert standards_recheck([withdrawn.pk]).raised == 2
    found = {f.code: f for f in declaration.recheck_findings.all()}
    assert found["standard_withdrawn"].product == name
    assert name in found["standard_withdrawn"].texts()["en"]
    assert name in found["standard_withdrawn"].texts()["zh-hans"]
    assert '功率 "P"' in found["method_outdated"].texts()["en"]
    assert found["method_outdated"].anchor.startswith("indicator-")
