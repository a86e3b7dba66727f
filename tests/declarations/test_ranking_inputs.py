"""What a leader ranking reads of each public product (`RankingInput`): written on every path
that makes a version public (declaring, an import, the demo data), never for a draft, as the
tables say; written again by the migration's fill for public versions without one."""

import json

from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.demo import demo_declarations_generate
from stdplus.declarations.imports import declarations_import
from stdplus.declarations.models import Declaration, Indicator, Product, RankingInput
from stdplus.declarations.ranking_inputs import line_parts, ranking_inputs_write
from stdplus.declarations.services import indicator_add, product_add, standard_cite

from .conftest import CURRENT_MANDATORY
from .test_imports import _rows
from .test_mandatory import xlsx


def _expected(product: Product) -> dict:
    """The product's row as its tables say (values as the database reads them back)."""
    lines = list(product.indicators.order_by("pk").values_list("pk", "name", "unit", "value"))
    return {
        "declaration": product.declaration_id,
        "category": product.category,
        "name": product.name,
        "shape": [[name, unit] for _, name, unit, _ in lines],
        "declared": [[str(pk), name, unit, value] for pk, name, unit, value in lines],
    }


def _stored(product: Product) -> dict:
    row = RankingInput.objects.get(product=product)
    declared = [line for line in json.loads(row.declared) if line is not None]
    return {
        "declaration": row.declaration_id,
        "category": row.category,
        "name": row.product_name,
        "shape": json.loads(row.shape),
        "declared": [
            [pk, name, unit, None if value is None else Indicator(value=value).value]
            for pk, name, unit, value in declared
        ],
    }


def _same_values(product: Product) -> None:
    stored, expected = _stored(product), _expected(product)
    for line in expected["declared"]:  # the column's Decimal against the stored text
        line[3] = None if line[3] is None else float(line[3])
    for line in stored["declared"]:
        line[3] = None if line[3] is None else float(line[3])
    assert stored == expected


def test_declaring_writes_the_inputs_and_a_draft_has_none(draft, member):
    product = draft.products.get()
    odd = ['say "hi"\\', "tab\there\nline\u2028", "热效率"]
    for n, name in enumerate(odd):
        indicator_add(
            product=product,
            user=member,
            values={
                "name": name,
                "direction": "higher",
                "unit": "m/s²" if n else "",
                "value": ["96.5", "0.00005", "12"][n],
                "own_method": "按企业方法测量",
            },
        )
    bare = product_add(
        declaration=draft, user=member, values={"name": "无指标的产品", "category": "3854"}
    )
    standard_cite(product=bare, user=member, text=CURRENT_MANDATORY)
    assert not RankingInput.objects.exists()
    transition_apply(draft, "declare", actor=member, data={"commitment": "yes"})
    _same_values(product)
    _same_values(bare)
    assert [line for line in json.loads(RankingInput.objects.get(product=bare).declared)] in (
        [],
        [None],  # SQLite's JSON_GROUP_ARRAY over the product's one empty line, as runs wrote it
    )


def test_an_import_and_the_demo_data_write_the_inputs_of_what_they_make_public(
    catalog, enterprise, member
):
    declarations_import(content=xlsx(_rows(enterprise)), filename="d.xlsx", user=member)
    demo_declarations_generate(organization_ids=[enterprise.pk], seed=1)
    products = Product.objects.filter(declaration__state="declared")
    assert products.filter(declaration__demo=True).exists()
    assert products.filter(indicators__isnull=False).exists()
    for product in products:
        _same_values(product)
    assert RankingInput.objects.count() == products.count()


def test_the_fill_writes_the_public_versions_without_inputs_and_no_draft(draft, member):
    transition_apply(draft, "declare", actor=member, data={"commitment": "yes"})
    product = draft.products.get()
    before = RankingInput.objects.values().get()
    RankingInput.objects.all().delete()
    other = Declaration.objects.create(enterprise=draft.enterprise)  # a draft: none
    product_add(declaration=other, user=member, values={"name": "草稿产品", "category": "3854"})
    assert ranking_inputs_write() == 1
    assert RankingInput.objects.values().get() == before
    assert ranking_inputs_write() == 0
    _same_values(product)


def test_the_stored_line_is_the_record_line_but_for_the_enterprise(draft, member):
    product = draft.products.get()
    product.name = 'kettle "K-1"\\ 电水壶'
    product.save(update_fields=["name"])
    indicator_add(
        product=product,
        user=member,
        values={
            "name": "热效率",
            "direction": "higher",
            "unit": "%",
            "value": "96.5",
            "own_method": "按企业方法测量",
        },
    )
    transition_apply(draft, "declare", actor=member, data={"commitment": "yes"})
    row = RankingInput.objects.get(product=product)
    # As the database wrote it, and as Python writes it for rows given to a ranking.
    assert (row.line_head, row.line_tail) == line_parts(
        (product.pk, draft.pk, draft.enterprise_id), product.name, row.declared
    )
    line = json.loads(row.line_head + json.dumps("某企业", ensure_ascii=False) + row.line_tail)
    assert line[:5] == [product.pk, draft.pk, draft.enterprise_id, "某企业", product.name]
    assert line[5] == json.loads(row.declared)
