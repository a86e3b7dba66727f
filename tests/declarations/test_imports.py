"""Bulk import of existing declarations: atomic, row and field errors, idempotent, own rows
only for an enterprise."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from stdplus.core.errors import ApplicationError
from stdplus.declarations.imports import declarations_import
from stdplus.declarations.models import (
    CitedStandard,
    Declaration,
    DeclarationEvent,
    EnterpriseStandard,
    Indicator,
    Product,
)

from .test_mandatory import xlsx

HEADER = [
    "credit_code",
    "reference",
    "declared_on",
    "product",
    "model",
    "category",
    "standards",
    "q_number",
    "q_title",
    "indicator",
    "direction",
    "value",
    "unit",
    "method_standard",
]


def _rows(enterprise, *, value="85"):
    code = enterprise.credit_code
    return [
        HEADER,
        [
            code,
            "SZ-001",
            "2024-05-01",
            "电热水壶",
            "K-1",
            "3854",
            "GB 4806.7-2016；GB/T 97100-2018",
            "Q/SZTEST 0001-2024",
            "电热水壶企业标准",
            "热效率",
            "higher",
            value,
            "%",
            "GB/T 97101-2016",
        ],
        [
            code,
            "SZ-001",
            "2024-05-01",
            "电热水壶",
            "K-1",
            "3854",
            "",
            "",
            "",
            "待机功率",
            "lower",
            "0.5",
            "W",
            "GB/T 97101-2016",
        ],
        [code, "SZ-002", "", "电饭锅", "R-2", "3854", "GB 4806.7-2016", "", "", "", "", "", "", ""],
    ]


def _counts():
    return tuple(
        m.objects.count()
        for m in (
            Declaration,
            DeclarationEvent,
            Product,
            CitedStandard,
            EnterpriseStandard,
            Indicator,
        )
    )


@pytest.fixture
def regulator(db):
    user = User.objects.create_user("regulator-i", password="x-very-secret-1")
    user.groups.add(Group.objects.get(name="regulator"))
    return User.objects.get(pk=user.pk)


def test_import_records_public_declarations_and_is_idempotent(catalog, enterprise, member):
    content = xlsx(_rows(enterprise))
    done = declarations_import(content=content, filename="decl.xlsx", user=member)
    assert (done.declarations, done.created, done.unchanged) == (2, 2, 0)
    first = Declaration.objects.get(imported__reference="SZ-001")
    assert first.state == "declared" and str(first.declared_on) == "2024-05-01"
    product = first.products.get()
    assert sorted(product.cited.values_list("standard__canonical", flat=True)) == [
        "GB 4806.7-2016",
        "GB/T 97100-2018",
    ]
    assert list(product.indicators.values_list("name", flat=True)) == ["热效率", "待机功率"]
    assert product.enterprise_standards.get().number == "Q/SZTEST 001-2024"
    assert first.events.last().action == "record"
    before = _counts()
    again = declarations_import(content=content, filename="decl.xlsx", user=member)
    assert (again.created, again.versions, again.unchanged) == (0, 0, 2)
    assert _counts() == before
    # A changed value makes a new version of that declaration only; the old one is revised.
    changed = declarations_import(
        content=xlsx(_rows(enterprise, value="88")), filename="decl.xlsx", user=member
    )
    assert (changed.created, changed.versions, changed.unchanged) == (0, 1, 1)
    versions = Declaration.objects.filter(series=first.series).order_by("version")
    assert [(d.version, d.state) for d in versions] == [(1, "revised"), (2, "declared")]


def test_a_broken_row_names_row_and_field_and_writes_nothing(catalog, enterprise, member):
    rows = _rows(enterprise)
    rows[2][11] = "abc"  # value
    rows[3][6] = "GB 99999-2020"  # an unknown standard
    rows.append(
        [
            enterprise.credit_code,
            "SZ-003",
            "2024-13-01",
            "x",
            "",
            "9999",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]
    )
    before = _counts()
    with translation.override("en"), pytest.raises(ApplicationError) as refusal:
        declarations_import(content=xlsx(rows), filename="broken.xlsx", user=member)
    places = sorted((e.where.row, e.where.field, e.code) for e in refusal.value.errors)
    assert places == [
        (3, "value", "invalid_number"),
        (4, "standards", "unknown_standard"),
        (5, "declared_on", "invalid_date"),
    ]
    assert refusal.value.errors[0].where.file == "broken.xlsx"
    assert "GB 99999-2020 is not in the catalog" in refusal.value.message
    assert _counts() == before
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as chinese:
        declarations_import(content=xlsx(rows), filename="broken.xlsx", user=member)
    assert "第 4 行" in chinese.value.message or "行 4" in chinese.value.message
    # Once the dates are right, the unknown category is found too.
    rows[4][2] = "2024-01-01"
    with pytest.raises(ApplicationError) as category:
        declarations_import(content=xlsx(rows), filename="broken.xlsx", user=member)
    assert (5, "category", "unknown_category") in [
        (e.where.row, e.where.field, e.code) for e in category.value.errors
    ]
    assert _counts() == before


def test_an_enterprise_imports_only_its_own_rows(catalog, enterprise, member, regulator):
    from .conftest import make_enterprise

    other = make_enterprise("深圳市别家电器有限公司")
    rows = _rows(other)
    with pytest.raises(ApplicationError) as refusal:
        declarations_import(content=xlsx(rows), filename="d.xlsx", user=member)
    assert {e.code for e in refusal.value.errors} == {"not_a_member"}
    assert not Declaration.objects.exists()
    assert declarations_import(content=xlsx(rows), filename="d.xlsx", user=regulator).created == 2
    unknown = [
        HEADER,
        ["91440300MA5ZZZZZZZ", "", "", "a", "", "3854", "", "", "", "", "", "", "", ""],
    ]
    with pytest.raises(ApplicationError) as nobody:
        declarations_import(content=xlsx(unknown), filename="d.xlsx", user=regulator)
    assert nobody.value.errors[0].code == "unknown_enterprise"


def test_the_page_and_the_command(client, catalog, enterprise, member, tmp_path):
    content = xlsx(_rows(enterprise))
    client.force_login(member)
    assert client.get("/declarations/import/").status_code == 200
    response = client.post("/declarations/import/", {"file": SimpleUploadedFile("d.xlsx", content)})
    assert response.status_code == 200 and b'id="import-done"' in response.content
    bad = client.post(
        "/declarations/import/",
        {"file": SimpleUploadedFile("d.csv", b"credit_code,product\nX,y\n")},
    )
    assert bad.status_code == 400 and b"d.csv" in bad.content
    client.logout()
    assert client.get("/declarations/import/").status_code == 302  # to the login
    path = tmp_path / "d.xlsx"
    path.write_bytes(content)
    call_command("declarations", "import", str(path))
    assert Declaration.objects.count() == 2  # the same rows: nothing new


def test_a_long_file_is_imported_by_a_job_with_progress(
    client,
    catalog,
    enterprise,
    member,
    monkeypatch,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from stdplus.core.models import Job
    from stdplus.declarations import pages

    settings.STDPLUS_JOB_FILES = str(tmp_path)
    monkeypatch.setattr(pages, "JOB_BYTES", 10)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/declarations/import/",
            {"file": SimpleUploadedFile("d.xlsx", xlsx(_rows(enterprise)))},
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.state == Job.DONE, job.error
    assert Declaration.objects.filter(state="declared").count() == 2
    assert "2 declaration(s)" in job.result["summary"]
