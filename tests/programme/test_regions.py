"""The region tree covers the whole country, with English names, and keeps the curated nodes."""

import json

import pytest

from stdplus.identifiers.regions import DATA, division, region_name_en
from stdplus.programme.models import Region
from stdplus.programme.reference import regions_load
from stdplus.programme.selectors import region_local_prefixes, region_of, region_tree

pytestmark = pytest.mark.django_db

SOURCE = [
    json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()
]
GROUPING = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def test_every_division_of_the_source_is_a_node_with_its_parent():
    nodes = {region.code: region for region in Region.objects.select_related("parent")}
    for row in SOURCE:
        code = row["code"].ljust(6, "0")
        if row["name_zh"] in GROUPING:
            assert code not in nodes, row  # grouping codes are not places
            continue
        node = nodes[code]
        if row.get("parent") and row["parent"].ljust(6, "0") == code:
            assert node.short_code == row["parent"]  # 东莞市 listed again as its county
            continue
        assert node.short_code == row["code"]
        assert node.name_zh == row["name_zh"]
        assert node.name_en, row
        assert node.parent_id is not None and node.parent.code != node.code
        assert node.path.startswith(node.parent.path) and node.path.endswith(f"/{code}/")
    assert Region.objects.filter(level="province").count() == 31
    # Counties of a municipality hang directly under it: Dongcheng District under Beijing.
    assert nodes["110101"].parent.code == "110000"
    # A city without districts is one node, not its own child.
    assert not Region.objects.filter(code="441900", parent__code="441900").exists()


def test_curated_nodes_win_and_the_demo_region_keeps_working():
    shenzhen = region_of("4403")
    assert shenzhen.name_en == "Shenzhen"
    assert shenzhen.local_prefixes == ["DB4403", "SZDB"]
    assert region_of("4403DP").level == "area"  # Dapeng New District, no official code
    assert {"DB44", "DB4403", "SZDB", "DB4401"} <= set(region_local_prefixes(region_of("44")))
    assert region_of("33").local_prefixes == ["DB33"]
    assert region_of("3301").local_prefixes == ["DB3301"]  # Hangzhou issues DB3301
    assert region_of("330102").local_prefixes == []  # counties do not issue local standards


def test_loading_again_changes_nothing_and_repairs_an_edit(django_assert_max_num_queries):
    Region.objects.filter(code="330100").update(name_en="wrong")
    count = Region.objects.count()
    regions_load(Region)
    assert Region.objects.count() == count
    assert Region.objects.get(code="330100").name_en == "Hangzhou"
    with django_assert_max_num_queries(3):  # nothing to change: one read, no writes
        regions_load(Region)


def test_the_picker_shows_provinces_and_the_branch_of_the_chosen_node():
    hangzhou = region_of("3301")
    shown = {region.code for region in region_tree(hangzhou)}
    assert "CN" in shown and "440000" in shown and "330000" in shown
    assert "330100" in shown and "330200" in shown  # Zhejiang's cities
    assert "330102" in shown  # Hangzhou's districts
    assert "440300" not in shown and "440304" not in shown  # not Guangdong's branch
    assert len(region_tree()) == Region.objects.count()


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("深圳市", "Shenzhen"),
        ("西安市", "Xi'an"),
        ("六安市", "Lu'an"),
        ("长治市", "Changzhi"),
        ("长子县", "Zhangzi County"),
        ("陕西省", "Shaanxi"),
        ("山西省", "Shanxi"),
        ("福田区", "Futian District"),
        ("大理白族自治州", "Dali Bai Autonomous Prefecture"),
        ("延边朝鲜族自治州", "Yanbian Korean Autonomous Prefecture"),
        ("鄂伦春自治旗", "Oroqen Autonomous Banner"),
        ("锡林郭勒盟", "Xilinguole League"),
        ("大兴安岭地区", "Daxing'anling Prefecture"),
        ("吕梁市", "Lüliang"),
    ],
)
def test_english_names_in_pinyin(zh, en):
    assert region_name_en(zh) == en


def test_every_english_name_is_latin_script():
    for row in SOURCE:
        name = region_name_en(row["name_zh"])
        assert name and all(ord(ch) < 0x3000 for ch in name), (row, name)


def test_the_dashboard_picks_a_region_anywhere_in_the_country(client):
    response = client.get("/stats/?region=3301", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hangzhou" in page and "Shangcheng District" in page
    assert page.count("<option") < 300  # the picker is not the whole country


def test_a_region_code_names_its_division():
    assert division("44").name_en == "Guangdong"
    assert division("4403").name_zh == "深圳市"
    assert division("440300").code == "4403"
    assert division("440304").name_en == "Futian District"
    assert division("99") is None and division("") is None
