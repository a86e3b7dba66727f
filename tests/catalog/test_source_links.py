"""Imported data is not trusted: only http(s) URLs are stored, and only they become links."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from stdplus.catalog.models import Standard
from stdplus.core.errors import ApplicationError
from stdplus.core.weblinks import web_url
from stdplus.importers.services import file_import

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/a",
    "//evil.example/x",
    "http:alert(1)",
    "https://",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_only_http_urls_are_links(url):
    assert web_url(url) == ""


@pytest.mark.parametrize("url", ["https://www.iso.org/standard/62085.html", "http://x.cn/a?b=1"])
def test_web_urls_are_kept(url):
    assert web_url(url) == url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x", "vbscript:msgbox(1)"]
)
def test_an_import_refuses_a_row_whose_url_is_not_http_naming_row_and_field(tmp_path, today, url):
    path = tmp_path / "list.csv"
    path.write_text(f"id,url\nGB 2760-2014,https://std.samr.gov.cn/x\nGB/T 1.1-2020,{url}\n")
    with pytest.raises(ApplicationError) as caught:
        file_import(path)
    error = caught.value
    assert (error.where.file, error.where.row, error.where.field) == (str(path), 3, "url")
    assert "only http:// and https:// addresses" in error.message
    assert not Standard.objects.exists()
    result = file_import(path, skip_invalid=True)
    assert (result.created, result.skipped) == (1, 1)
    assert "row 3, field 'url'" in result.errors[0]
    assert Standard.objects.get().url == "https://std.samr.gov.cn/x"


def test_json_lines_imports_follow_the_same_rule(write_jsonl, today):
    path = write_jsonl([{"id": "GB/T 1.1-2020", "url": "javascript:alert(1)"}], "cn_x.jsonl")
    with pytest.raises(ApplicationError) as caught:
        file_import(path)
    assert (caught.value.where.row, caught.value.where.field) == (1, "url")


def test_the_model_refuses_other_schemes():
    standard = Standard(url="ftp://example.org/x")
    with pytest.raises(ValidationError) as caught:
        standard.clean_fields(exclude=[f.name for f in Standard._meta.fields if f.name != "url"])
    assert "url" in caught.value.message_dict


@pytest.mark.parametrize("url", HOSTILE)
def test_pages_and_json_never_link_a_stored_url_that_is_not_http(client, write_jsonl, today, url):
    """Rows stored before the rule (or written past it) are still not shown as links."""
    file_import(write_jsonl([{"id": "GB/T 1.1-2020", "url": "https://example.org/"}], "cn.jsonl"))
    Standard.objects.update(url=url)
    html = client.get("/standards/GB/T 1.1-2020/").content.decode()
    assert "source page</a>" not in html
    assert "javascript:" not in html.lower() and "vbscript:" not in html.lower()
    document = client.get("/api/v1/standards/GB/T 1.1-2020").json()
    assert document["source_url"] == ""


def test_a_web_url_is_a_link(client, write_jsonl, today):
    file_import(write_jsonl([{"id": "GB/T 1.1-2020", "url": "https://example.org/a"}], "cn.jsonl"))
    html = client.get("/standards/GB/T 1.1-2020/").content.decode()
    assert '<a href="https://example.org/a" rel="noopener noreferrer">source page</a>' in html
    assert client.get("/api/v1/standards/GB/T 1.1-2020").json()["source_url"] == (
        "https://example.org/a"
    )


def test_the_template_filter():
    template = Template("{% load weblinks %}[{{ a|web_url }}][{{ b|web_url }}][{{ c|web_url }}]")
    rendered = template.render(
        Context({"a": "javascript:alert(1)", "b": "https://x.org/?a=1&b=2", "c": None})
    )
    assert rendered == "[][https://x.org/?a=1&amp;b=2][]"
