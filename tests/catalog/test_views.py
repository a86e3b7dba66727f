import pytest

from ..search.conftest import load_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db, today, write_jsonl):
    load_catalog(write_jsonl)


def page(client, url, language="en", **headers):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)
    return response, response.content.decode()


def test_home_has_search_counts_and_json(client, catalog):
    response, html = page(client, "/")
    assert response.status_code == 200
    assert 'action="/search/"' in html and 'data-level="national"' in html
    assert 'href="/api/v1/catalog/summary"' in html
    assert response["Link"] == '</api/v1/catalog/summary>; rel="alternate"; type="application/json"'
    moved = client.get("/?format=json")
    assert moved.status_code == 301 and moved["Location"] == "/api/v1/catalog/summary"
    summary = client.get("/?format=json", follow=True).json()
    assert summary["total"] >= 25 and summary["by_level"]["national"] >= 1


def test_results_with_facets_highlights_and_a_json_twin(client, catalog):
    response, html = page(client, "/search/?q=质量管理")
    assert response.status_code == 200
    assert "<mark>质量管理</mark>体系 要求" in html
    assert (
        'data-facet="level"' in html
        and "?q=%E8%B4%A8%E9%87%8F%E7%AE%A1%E7%90%86&amp;level=national" in html
    )
    assert 'href="/api/v1/standards?q=%E8%B4%A8%E9%87%8F%E7%AE%A1%E7%90%86"' in html
    assert 'rel="alternate" type="application/json"' in html


def test_results_escape_markup(client, catalog):
    _, html = page(client, "/search/?q=markup")
    assert "<b>markup</b>" not in html and "&lt;b&gt;<mark>markup</mark>&lt;/b&gt;" in html
    _, html = page(client, "/search/?q=<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html


def test_a_facet_click_with_htmx_gets_the_partial(client, catalog):
    response, html = page(client, "/search/?q=质量管理&level=industry", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in html and "YY/T 0287-2017" in html and "GB/T 19001-2016" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_an_identifier_goes_straight_to_its_standard(client, catalog):
    response = client.get("/search/?q=gb/t19001—2008")
    assert response.status_code == 302
    assert response["Location"] == "/standards/GB/T%2019001-2008/"
    _, html = page(client, "/search/?q=gbt19001")
    assert "Editions of GB/T 19001" in html
    _, html = page(client, "/search/?q=GB/T+19001-2015")
    assert "Did you mean" in html and "/standards/GB/T%2019001-2016/" in html


def test_bad_input_is_a_clear_message_not_an_error(client, catalog):
    for url in ("/search/?page=x", "/search/?published_from=2020-99-99", "/search/?page=99999"):
        response, html = page(client, url)
        assert response.status_code == 400 and 'class="error"' in html
    response, _ = page(client, "/search/?level=galactic")
    assert response.status_code == 400


def test_detail_shows_fields_timeline_chain_adoptions_and_ics_path(client, catalog):
    response, html = page(client, "/standards/GB/T 19001-2008/")
    assert response.status_code == 200
    assert "status-superseded" in html and "2008-10-29" in html
    timeline = html[html.index('class="timeline"') :]
    assert timeline.index("GB/T 19001-2000") < timeline.index('aria-current="page"')
    assert 'id="chain"' in html and "/standards/GB/T%2019001-2016/" in html
    assert "ISO 9001:2008" in html and "identical (IDT)" in html
    assert 'href="/classes/ics/03/"' in html and 'href="/classes/ics/03.120.10/"' in html
    assert 'href="/api/v1/standards/GB/T%2019001-2008"' in html


def test_chinese_by_accept_language_and_a_remembered_switch(client, catalog):
    _, html = page(client, "/standards/GB/T 19001-2016/", language="zh-CN")
    assert '<html lang="zh-Hans">' in html and "现行" in html and "本标准的各个版本" in html
    _, html = page(client, "/search/?q=quality", language="zh-CN")
    assert "级别" in html and "国家标准" in html
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/search/"})
    assert response.status_code == 302
    _, html = page(client, "/search/", language="en")
    assert "检索标准" in html


def test_browse_classes_and_bodies(client, catalog):
    _, html = page(client, "/classes/ics/")
    assert 'href="/classes/ics/03/"' in html and 'href="/api/v1/classifications/ics"' in html
    _, html = page(client, "/classes/ics/03.120/")
    assert 'href="/search/?ics=03.120.10"' in html
    _, html = page(client, "/classes/ccs/", language="zh-CN")
    assert "农业、林业" in html
    _, html = page(client, "/bodies/")
    assert 'href="/search/?body=GB"' in html and 'href="/api/v1/bodies"' in html
    assert client.get("/classes/ics/98/").status_code == 404


def test_pages_read_a_bounded_number_of_queries(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        client.get("/search/?q=要求")
    with django_assert_max_num_queries(25):
        client.get("/standards/GB 4943.1-2022/")


@pytest.mark.parametrize(
    ("identifier", "en", "zh"),
    [
        ("DB44/T 2000-2021", "Guangdong (44)", "广东省 (44)"),
        ("DB4403/T 300-2022", "Shenzhen (4403)", "深圳市 (4403)"),
        ("DB3301/T 1001-2020", "Hangzhou (3301)", "杭州市 (3301)"),
        ("SJG 10-2012", "Shenzhen (4403)", "深圳市 (4403)"),
    ],
)
def test_a_local_standard_names_its_region(client, db, write_jsonl, identifier, en, zh):
    from stdplus.importers.services import file_import

    file_import(write_jsonl([{"id": identifier, "title_zh": "地方标准示例", "status": "current"}]))
    url = f"/standards/{identifier}/"
    _, html = page(client, url)
    assert f"<dt>Region</dt><dd>{en}</dd>" in html
    _, html = page(client, url, "zh-hans")
    assert f"<dd>{zh}</dd>" in html


def test_a_national_standard_names_no_region(client, catalog):
    _, html = page(client, "/standards/GB/T 19001-2016/")
    assert "<dt>Region</dt>" not in html


def test_ccs_browse_walks_fields_groups_and_classes(client, catalog, write_jsonl):
    from stdplus.importers.services import file_import

    file_import(
        write_jsonl(
            [
                {
                    "id": "YY/T 9001-2020",
                    "title_zh": "甲",
                    "status": "current",
                    "ccs": ["C30", "C31"],
                },
                {"id": "YY/T 9002-2020", "title_zh": "乙", "status": "current", "ccs": ["C40"]},
                {"id": "YY/T 9003-2020", "title_zh": "丙", "status": "current", "ccs": ["C50"]},
            ],
            name="ccs.jsonl",
        )
    )
    _, html = page(client, "/classes/ccs/")
    assert 'href="/classes/ccs/C/"' in html and "Medicine, health and labour protection" in html
    _, html = page(client, "/classes/ccs/C/", language="zh-hans")
    assert 'href="/classes/ccs/C30/49/"' in html and "医疗器械" in html
    response, html = page(client, "/classes/ccs/C30/49/")
    assert response.status_code == 200
    assert 'href="/classes/ccs/C/"' in html and ">C30</td>" in html  # path, and the class
    _, html = page(client, "/classes/ccs/C/")
    branch = client.get("/api/v1/classifications/ccs/C").json()
    counts = {child["code"]: child["count"] for child in branch["children"]}
    assert counts["C30/49"] == 2  # YY/T 9001 once although in two classes, and YY/T 9002
    assert counts["C50/64"] == 1
    group = client.get("/api/v1/classifications/ccs/C30/49").json()
    assert [node["code"] for node in group["path"]] == ["C"]
    c30 = client.get("/api/v1/classifications/ccs/C30").json()
    assert [node["code"] for node in c30["path"]] == ["C", "C30/49"]
    # The group's count links to a search for it, which finds the same standards.
    assert 'href="/search/?ccs=C30/49"' in html or 'href="/search/?ccs=C30%2F49"' in html
    found = client.get("/api/v1/standards", {"ccs": "C30/49"}).json()
    assert sorted(item["identifier"] for item in found["items"]) == [
        "YY/T 9001-2020",
        "YY/T 9002-2020",
    ]


def test_an_unknown_standard_page_suggests_in_the_readers_language(client, catalog):
    response, html = page(client, "/standards/GB%2019001-2016/", language="zh-hans")
    assert response.status_code == 404
    assert "目录中没有此标准" in html and "您是否要找：" in html
    assert 'href="/standards/GB/T%2019001-2016/"' in html
    response, html = page(client, "/lookup/?q=GB/T+19010-2016")
    assert response.status_code == 404
    assert "Did you mean:" in html and ">GB/T 19001-2016</a>" in html
    response, html = page(client, "/standards/nothing%20at%20all/")
    assert response.status_code == 404 and "not a standard identifier" in html


def test_a_work_page_lands_on_its_edition_in_force(client, catalog):
    response = client.get("/standards/gbt19001/")
    assert response.status_code == 302 and response.url == "/standards/GB/T%2019001-2016/"
