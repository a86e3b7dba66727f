import pytest

from stdplus.importers.services import file_import

from ..conftest import BUNDLED_DATA

# Records with scope texts and English words, in the shared JSON Lines format.
EXTRA = [
    {
        "id": "GB/T 90001-2021",
        "level": "national",
        "title_zh": "电动汽车 充电接口",
        "title_en": "Electric vehicle charging interfaces",
        "scope": "适用于质量管理 of charging stations",
        "published": "2021-05-01",
        "status": "current",
        "ics": ["43.120"],
    },
    {
        "id": "T/CAS 90002-2020",
        "level": "group",
        "title_zh": "团体标准 <script>alert(1)</script>",
        "title_en": "Manufacturing & <b>markup</b> in titles",
        "published": "2020-02-02",
        "status": "current",
        "ics": ["25.040.30"],
    },
]


def load_catalog(write_jsonl) -> None:
    for name in (
        "ics_codes.jsonl.gz",
        "ics_codes_zh.jsonl",
        "ccs_codes.jsonl.gz",
        "ccs_codes_en.jsonl",
        "cn_curated.jsonl.gz",
    ):
        file_import(BUNDLED_DATA / name)
    file_import(BUNDLED_DATA / "cn_samples_relaton_gb.jsonl.gz")
    file_import(write_jsonl(EXTRA, name="cn_extra.jsonl"))


@pytest.fixture
def catalog(db, today, write_jsonl):
    """The bundled Chinese records, ICS and CCS, and two records written for these tests."""
    load_catalog(write_jsonl)
