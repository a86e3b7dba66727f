"""A check takes 100,000 lines pasted on the page (the form says so): the request limits let
such a paste through, and a larger request answers 413 with the limit, as a page in the
reader's language (JSON under /api/: tests/test_api.py)."""

import pytest
from django.urls import reverse

from stdplus.checks.extract import MAX_LINES
from stdplus.checks.models import ValidityCheck

pytestmark = pytest.mark.django_db

# A reference list as people paste it: numbered entries with Chinese titles (about 60 bytes a
# line in UTF-8, 6 MB in all: more than twice Django's default limit of 2.5 MB).
ENTRIES = [
    "GB/T 19001-2016 质量管理体系 要求",
    "GB/T 19001-2008 质量管理体系 要求",
    "GB/T 28001-2011 职业健康安全管理体系 要求",
    "GB 2760-2011 食品安全国家标准 食品添加剂使用标准",
]


@pytest.mark.slow
def test_a_paste_of_100000_reference_lines_is_checked(curated, alice_client, settings):
    # Checked in the request here; a large check as a background job is in test_large_check_job.
    settings.STDPLUS_CHECK_JOB_LINES = MAX_LINES + 1
    text = "\n".join(
        f"[{n}] {ENTRIES[n % len(ENTRIES)]}，参考文献著录" for n in range(1, MAX_LINES + 1)
    )
    assert len(text.encode()) > 5 * 1024 * 1024
    response = alice_client.post(reverse("checks:index"), {"text": text, "mode": "auto"})
    assert response.status_code == 302, response.content[:300]
    check = ValidityCheck.objects.get()
    assert check.line_count == MAX_LINES
    assert sum(check.summary.values()) == MAX_LINES
    assert check.summary["current"] >= MAX_LINES // 4  # GB/T 19001-2016, every fourth line
    page = alice_client.get(response.url)
    assert page.status_code == 200


def test_a_paste_over_the_limit_is_a_413_page_in_the_readers_language(alice_client, settings):
    text = "GB/T 19001-2016\n" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 16 + 1)
    response = alice_client.post(
        reverse("checks:index"), {"text": text, "mode": "auto"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'class="site"' in page  # the site's page, not Django's bare "Bad Request"
    assert "16 MB" in page and "100,000" in page
    assert "请求过大" in page
    assert not ValidityCheck.objects.exists()
