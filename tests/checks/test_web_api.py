import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from stdplus.checks.models import CheckLine, ValidityCheck

pytestmark = pytest.mark.django_db

PASTE = "GB/T 19001-2000\n…按照GB/T 19001—2016和ISO 9001:2008的要求…\nGB/T\nGB 19001-2016\n"


def paste(client, text=PASTE, **extra):
    return client.post(reverse("checks:index"), {"text": text, "mode": "auto", **extra})


def test_paste_shows_a_coloured_filterable_table(curated, alice_client):
    response = paste(alice_client)
    assert response.status_code == 302
    check = ValidityCheck.objects.get()
    page = alice_client.get(response.url).content.decode()
    assert 'class="row-superseded"' in page and 'class="row-rejected"' in page
    text = re.sub(r"<[^>]+>", "", page)
    assert "GB/T 19001-2000 → GB/T 19001-2008 → GB/T 19001-2016" in text
    assert '<a class="key" href="/standards/GB/T%2019001-2016/"><strong>GB/T 19001-2016' in page
    assert check.summary["superseded"] == 1 and check.summary["rejected"] == 1
    only = alice_client.get(response.url + "?category=rejected").content.decode()
    assert 'class="row-rejected"' in only and 'class="row-superseded"' not in only


def test_output_is_escaped(curated, alice_client):
    response = paste(alice_client, text="<script>alert(1)</script>", mode="lines")
    page = alice_client.get(response.url).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_as_of_is_kept(curated, alice_client):
    paste(alice_client, text="GB 2760-2011", as_of="2013-06-30")
    line = CheckLine.objects.get()
    assert line.status == "current" and ValidityCheck.objects.get().day.isoformat() == "2013-06-30"


def test_a_saved_check_runs_again_against_todays_catalog(curated, alice_client):
    paste(alice_client, text="see GB 2760-2011 and GB/T 19001-2016", as_of="2013-06-30")
    old = ValidityCheck.objects.get()
    assert old.summary.get("current") == 1  # on 2013-06-30 GB 2760-2011 was in force
    page = alice_client.get(reverse("checks:detail", args=[old.pk])).content.decode()
    assert reverse("checks:rerun", args=[old.pk]) in page
    response = alice_client.post(reverse("checks:rerun", args=[old.pk]))
    new = ValidityCheck.objects.exclude(pk=old.pk).get()
    assert response.url == reverse("checks:detail", args=[new.pk])
    assert new.as_of is None and new.day > old.day and new.source == old.source
    lines = list(new.lines.order_by("position").values_list("input", "where", "status"))
    assert [(i, w) for i, w, _s in lines] == list(
        old.lines.order_by("position").values_list("input", "where")
    )
    assert lines[0][2] == "superseded"  # today GB 2760-2011 is replaced
    assert ValidityCheck.objects.get(pk=old.pk).summary == old.summary  # the record stays
    # Signed out, nothing runs (the check is found only within the reader's organization).
    alice_client.logout()
    assert alice_client.post(reverse("checks:rerun", args=[old.pk])).status_code == 302
    assert ValidityCheck.objects.count() == 2


def test_upload_and_download_xlsx_and_csv(curated, alice_client):
    upload = io.BytesIO("名称,编号\n质量,GB/T 19001-2008\n".encode())
    upload.name = "refs.csv"
    response = alice_client.post(reverse("checks:index"), {"file": upload, "mode": "auto"})
    check = ValidityCheck.objects.get()
    assert response.status_code == 302 and check.source == "refs.csv [B (编号)]"
    xlsx = alice_client.get(reverse("checks:export", args=[check.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[3]
    line = dict(zip(header, rows[4], strict=False))
    assert line["Identifier"] == "GB/T 19001-2008" and line["Result"] == "Superseded"
    assert line["Current standard"] == "GB/T 19001-2016"
    # A workbook that reads without resizing: header frozen, a filter on it, columns wide enough.
    assert sheet.freeze_panes == "A5" and sheet.auto_filter.ref == "A4:T5"
    assert sheet.column_dimensions["D"].width >= 20 and sheet.column_dimensions["M"].width >= 40
    csv = alice_client.get(reverse("checks:export", args=[check.pk, "csv"])).content.decode()
    assert csv.startswith("\ufeffNo.,") and "GB/T 19001-2008 → GB/T 19001-2016" in csv


def test_exports_write_names_and_inputs_that_look_like_formulas_as_text(curated, alice_client):
    """A check or an input starting with =, +, -, @ is data in the XLSX and the CSV."""
    import zipfile

    paste(
        alice_client,
        text='=HYPERLINK("http://evil.example","x")\n+1\n@SUM(A1)',
        mode="lines",
        name='=cmd|" /C calc"!A0',
    )
    check = ValidityCheck.objects.get()
    assert check.name.startswith("=")
    xlsx = alice_client.get(reverse("checks:export", args=[check.pk, "xlsx"])).content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    cells = [c for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row]
    title = cells[0]
    assert title.data_type == "s" and title.value.startswith('=cmd|" /C calc"!A0')
    inputs = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+@"]
    assert {c.value for c in inputs} >= {'=HYPERLINK("http://evil.example","x")', "+1", "@SUM(A1)"}
    assert all(c.data_type == "s" and c.quotePrefix for c in inputs)
    csv = alice_client.get(reverse("checks:export", args=[check.pk, "csv"])).content.decode()
    assert "'=HYPERLINK" in csv and "\n'+1" not in csv and ",'+1," in csv
    assert ",'@SUM(A1)," in csv


def test_malformed_upload_stores_nothing(curated, alice_client):
    upload = io.BytesIO(b"PK\x03\x04broken")
    upload.name = "refs.xlsx"
    response = alice_client.post(reverse("checks:index"), {"file": upload, "mode": "auto"})
    assert response.status_code == 400
    assert "refs.xlsx: the file is not an XLSX workbook" in response.content.decode()
    assert not ValidityCheck.objects.exists() and not CheckLine.objects.exists()


def test_another_organization_cannot_see_a_check(curated, alice_client, bob, client):
    paste(alice_client)
    check = ValidityCheck.objects.get()
    alice_client.logout()
    client.force_login(bob)
    for url in (
        reverse("checks:detail", args=[check.pk]),
        reverse("checks:export", args=[check.pk, "xlsx"]),
        reverse("checks:export", args=[check.pk, "csv"]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("checks:delete", args=[check.pk])).status_code == 404
    assert str(check) not in client.get(reverse("checks:index")).content.decode()
    assert ValidityCheck.objects.filter(pk=check.pk).exists()


def test_pages_need_a_login(client):
    response = client.get(reverse("checks:index"))
    assert response.status_code == 302 and "/account/login/" in response.url


def api(client, token, method, path, body=None):
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"/api/v1{path}", **kwargs)


def test_api_check_contract_in_input_order(curated, client, alice_token):
    body = {"lines": ["GB/T 28001-2011", "nonsense", "GB/T 18384.1-2015"], "as_of": None}
    response = api(client, alice_token, "post", "/checks", body)
    assert response.status_code == 200
    data = response.json()
    assert [r["input"] for r in data["results"]] == body["lines"]
    first = data["results"][0]
    assert {k: first[k] for k in ("canonical", "match", "status", "current", "chain")} == {
        "canonical": "GB/T 28001-2011",
        "match": "edition",
        "status": "superseded",
        "current": "GB/T 45001-2020",
        "chain": ["GB/T 28001-2011", "GB/T 45001-2020"],
    }
    assert data["results"][1]["match"] == "rejected" and data["results"][1]["error"]
    assert data["results"][2]["current"] == "GB 18384-2020"
    stored = api(client, alice_token, "get", f"/checks/{data['id']}").json()
    assert stored["results"][0]["chain"] == first["chain"]
    assert stored["summary"] == data["summary"]


def test_api_takes_a_bare_json_list(curated, client, alice_token):
    response = api(client, alice_token, "post", "/checks", ["GB/T 19001—2008", "GB/T"])
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["match"] for r in results] == ["edition", "rejected"]
    assert results[0]["current"] == "GB/T 19001-2016"
    bad = api(client, alice_token, "post", "/checks", [1, {"x": 2}])
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"


def test_api_as_of_and_no_save(curated, client, alice_token):
    body = {"lines": ["GB 2760-2011"], "as_of": "2013-06-30", "save": False}
    data = api(client, alice_token, "post", "/checks", body).json()
    assert data["id"] is None and data["results"][0]["status"] == "current"
    assert not ValidityCheck.objects.exists()


def test_api_needs_a_valid_token(curated, client, alice_token):
    assert api(client, None, "post", "/checks", {"lines": ["GB 2760-2011"]}).status_code == 401
    bad = api(client, "sp_not-a-token", "post", "/checks", {"lines": ["GB 2760-2011"]})
    assert bad.status_code == 401


def test_api_other_organization_gets_404(curated, client, alice_token, bob_token):
    created = api(client, alice_token, "post", "/checks", {"lines": ["GB 2760-2011"]}).json()
    assert api(client, bob_token, "get", f"/checks/{created['id']}").status_code == 404
    assert api(client, bob_token, "delete", f"/checks/{created['id']}").status_code == 404
    assert api(client, bob_token, "get", "/checks").json()["count"] == 0
    assert api(client, alice_token, "get", "/checks").json()["count"] == 1


def test_api_list_has_no_n_plus_one(curated, client, alice_token, django_assert_max_num_queries):
    for _ in range(5):
        api(client, alice_token, "post", "/checks", {"lines": ["GB 2760-2011"]})
    with django_assert_max_num_queries(8):
        data = api(client, alice_token, "get", "/checks").json()
    assert data["count"] == 5


def test_api_limits_and_errors(curated, client, alice_token):
    response = api(client, alice_token, "post", "/checks", {"lines": [], "mode": "lines"})
    assert response.status_code == 400 and response.json()["where"] == {"field": "lines"}
    response = api(client, alice_token, "post", "/checks", {"lines": ["x"], "mode": "guess"})
    assert response.status_code == 400 and response.json()["where"] == {"field": "mode"}


def test_api_refuses_one_huge_line_for_its_length(curated, client, alice_token):
    lines = ["GB/T 19001-2016", "GB/T 19001-2016 " * 5000]
    response = api(client, alice_token, "post", "/checks", {"lines": lines, "mode": "auto"})
    body = response.json()
    assert response.status_code == 400 and body["code"] == "line_too_long"
    assert body["where"] == {"row": 2, "field": "lines"}
    assert body["message"].startswith("line 2 holds 80,000 characters")


def test_cli_json_csv_xlsx(curated, tmp_path, capsys):
    source = tmp_path / "refs.txt"
    source.write_text("GB/T 19001-2000\n参考 GB 2760—2011 的规定\n", encoding="utf-8")
    call_command("check", str(source), "--format", "json")
    lines = json.loads(capsys.readouterr().out)
    assert [(r["input"], r["current"]) for r in lines] == [
        ("GB/T 19001-2000", "GB/T 19001-2016"),
        ("GB 2760-2011", "GB 2760-2024"),
    ]
    call_command("check", str(source), "--as-of", "2013-06-30", "--format", "csv")
    assert ",Current,GB 2760-2011," in capsys.readouterr().out
    out = tmp_path / "out.xlsx"
    call_command("check", str(source), "--out", str(out))
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[4][3] == "GB/T 19001-2000"


def test_cli_without_a_file_runs_the_system_checks(capsys):
    call_command("check")
    assert "System check identified no issues" in capsys.readouterr().out


def test_pasted_text_is_named_in_the_readers_language(curated, alice_client):
    response = paste(alice_client, text="GB/T 19001-2016")
    english = alice_client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = alice_client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "from pasted text" in english and "粘贴文本" not in english
    assert "粘贴文本" in chinese and "pasted text" not in chinese
    heading = english[english.index("<h1>") : english.index("</h1>")]
    assert "Validity check" in heading and "pasted text" not in heading  # said once, below
