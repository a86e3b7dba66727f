"""The public search's rows (`SearchRow`, written by the database's triggers) stay equal to the
joins they copy after every kind of write: a product added, changed or removed, each lifecycle
step, a new version, a bulk import, bulk inserts, an enterprise's change of address (by the
model, a queryset update, the registry's service); and the search by category and district
finds by them."""

import uuid

import pytest
from django.contrib.auth.models import Group, User

from stdplus.accounts.models import Organization
from stdplus.core.bulk import rows_insert, rows_prepare
from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.imports import declarations_import
from stdplus.declarations.models import Declaration, Product, SearchRow
from stdplus.declarations.services import (
    declaration_create,
    declaration_revise,
    product_add,
    product_remove,
    standard_cite,
)

from .conftest import make_enterprise, make_member
from .test_imports import _rows
from .test_mandatory import xlsx


def _expected() -> set[tuple]:
    return {
        (
            p.pk,
            p.declaration_id,
            p.category,
            p.declaration.enterprise.region_code,
            p.declaration.declared_on,
            p.declaration.state,
        )
        for p in Product.objects.select_related("declaration__enterprise")
    }


def _rows_now() -> set[tuple]:
    return set(
        SearchRow.objects.values_list(
            "product_id", "declaration_id", "category", "region_code", "declared_on", "state"
        )
    )


def _consistent() -> None:
    assert _rows_now() == _expected()


def _declare(declaration, member):
    transition_apply(declaration, "declare", actor=member, data={"commitment": "yes"})


def _search(client, **query) -> list[int]:
    response = client.get("/api/v1/declarations", {**query, "limit": 100})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def regulator(db):
    user = User.objects.create_user("regulator-s", password="x-very-secret-1")
    user.groups.add(Group.objects.get(name="regulator"))
    return User.objects.get(pk=user.pk)


def test_every_kind_of_write_keeps_the_rows(client, draft, member, enterprise, regulator):
    _consistent()
    assert SearchRow.objects.get().state == "draft"
    second_product = product_add(
        declaration=draft,
        user=member,
        values={"name": "电饭锅", "model": "R-1", "category": "3855"},
    )
    standard_cite(product=second_product, user=member, text="gb4806.7-2016")
    _consistent()
    product_remove(product=second_product, user=member)
    _consistent()
    assert _search(client, category="3854", district="440305") == []  # a draft is not found

    _declare(draft, member)
    _consistent()
    assert _search(client, category="3854", district="440305") == [draft.pk]
    assert _search(client, category="3854", district="4403") == [draft.pk]
    assert _search(client, district="440305") == [draft.pk]
    assert _search(client, category="3855", district="440305") == []
    assert _search(client, category="3854", district="440306") == []

    # A new version: the draft has its own rows; declared, it replaces the first in the search.
    second = declaration_revise(declaration=draft, user=member)
    _consistent()
    assert _search(client, category="3854", district="440305") == [draft.pk]
    _declare(second, member)
    _consistent()
    assert _search(client, category="3854", district="440305") == [second.pk]

    transition_apply(second, "suspend", actor=regulator, note="抽查不合格")
    _consistent()
    assert _search(client, category="3854", district="440305") == []
    transition_apply(second, "reinstate", actor=regulator, note="整改完成")
    _consistent()
    assert _search(client, category="3854", district="440305") == [second.pk]

    # The enterprise moves: by the model, by a queryset update, by the registry's service.
    enterprise.region_code = "440306"
    enterprise.save()
    _consistent()
    assert _search(client, category="3854", district="440305") == []
    assert _search(client, category="3854", district="440306") == [second.pk]
    Organization.objects.filter(pk=enterprise.pk).update(region_code="440307")
    _consistent()
    from stdplus.programme.services.audit import record_update

    enterprise.refresh_from_db()
    record_update(instance=enterprise, changes={"region_code": "440309"})
    _consistent()
    assert _search(client, category="3854", district="440309") == [second.pk]

    transition_apply(second, "withdraw", actor=member, note="停产")
    _consistent()
    assert _search(client, category="3854", district="440309") == []
    assert set(SearchRow.objects.values_list("state", flat=True)) == {"revised", "withdrawn"}


def test_a_bulk_import_and_bulk_inserts_keep_the_rows(client, catalog, enterprise, member):
    done = declarations_import(content=xlsx(_rows(enterprise)), filename="d.xlsx", user=member)
    assert done.created == 2
    _consistent()
    imported = sorted(Declaration.objects.values_list("pk", flat=True), reverse=True)
    assert sorted(_search(client, category="3854", district="440305"), reverse=True) == imported
    # Changed rows make a new version of one of them.
    declarations_import(content=xlsx(_rows(enterprise, value="88")), filename="d.xlsx", user=member)
    _consistent()

    # Inserts by COPY / multi-row INSERT (core.bulk), as the bench and the demo fill.
    other = make_enterprise()
    other.region_code = "440304"
    other.save()
    rows_insert(
        rows_prepare(
            Declaration,
            ["enterprise", "series", "version", "state", "declared_on"],
            [(other.pk, uuid.uuid4().hex, 1, "declared", "2024-06-01")],
        )
    )
    declaration = Declaration.objects.get(enterprise=other)
    rows_insert(
        rows_prepare(
            Product,
            ["declaration", "name", "category"],
            [(declaration.pk, "保温杯", "3381"), (declaration.pk, "水杯", "3381")],
        )
    )
    _consistent()
    assert _search(client, category="3381", district="440304") == [declaration.pk]  # once
    # Deleting (a demo dataset cleared) takes the rows with the products.
    Product.objects.filter(declaration=declaration).delete()
    _consistent()
    Product.objects.filter(declaration__enterprise=enterprise).update(category="3856")
    _consistent()
    assert _search(client, category="3856", district="4403") != []


def test_an_enterprise_without_a_region(catalog):
    enterprise = make_enterprise()
    Organization.objects.filter(pk=enterprise.pk).update(region_code="")
    member = make_member(enterprise)
    declaration = declaration_create(enterprise=enterprise, user=member)
    product_add(declaration=declaration, user=member, values={"name": "灯", "category": "3872"})
    _consistent()
    assert SearchRow.objects.get().region_code == ""
