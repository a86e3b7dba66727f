"""The PDF certificate: printed by headless Chromium in the reader's language, with the code and
a QR code of the public verification page (read back from the printed page and compared with
the symbol of the expected address), downloadable only by the holder, their organization's
administrators and the regulator."""

import datetime as dt
import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from stdplus.accounts.models import Membership, Role
from stdplus.programme.models import Region
from stdplus.support.certificates import certificate_html, qr_code, verify_url
from stdplus.support.models import Course, Session
from stdplus.support.training import (
    attendance_record,
    certificate_issue,
    certificate_verify,
    enroll,
)

from .conftest import logged_in

pytestmark = pytest.mark.django_db
needs_chromium = pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("/usr/bin/chromium"))
    or not shutil.which("pdftoppm"),
    reason="Chromium and poppler-utils print and read the PDF",
)


@pytest.fixture
def certificate(firm, settings):
    settings.STDPLUS_SITE_URL = "https://std.example.gov.cn"
    course = Course.objects.create(
        title_zh="标准化基础", title_en="Standardization basics", hours=16
    )
    session = Session.objects.create(
        course=course,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 2),
        place="Futian",
        region=Region.objects.get(code="440304"),
        capacity=5,
    )
    firm.member.first_name, firm.member.last_name = "Mei", "Chen"
    firm.member.save()
    enrollment = enroll(session=session, person=firm.member, organization=firm.organization)
    return certificate_issue(attendance_record(enrollment), on=dt.date(2026, 5, 3))


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def printed_modules(pdf: bytes, tmp_path, size: int) -> list[list[bool]]:
    """The QR code as printed: page 1 rendered at 200 dpi in grey, the dark pixels of the code's
    place on the page (a 48 mm square, 27 mm from the right and 121 mm from the top of an A4
    landscape page: 24 mm and 118 mm inside its 3 mm frame) bounded, and each of the size x size modules read at its centre."""
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", "200", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    data = next(tmp_path.glob("p*.pgm")).read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)  # one byte per pixel follows
    width = int(header.group(1))
    pixels = data[header.end() :]
    mm = 200 / 25.4

    def dark(x: int, y: int) -> bool:
        return pixels[y * width + x] < 128

    left, right = int((297 - 27 - 48 - 3) * mm), int((297 - 27 + 3) * mm)
    top, bottom = int((121 - 3) * mm), int((121 + 46) * mm)
    xs = [x for y in range(top, bottom, 2) for x in range(left, right) if dark(x, y)]
    ys = [y for y in range(top, bottom) for x in range(left, right, 2) if dark(x, y)]
    x0, x1, y0, y1 = min(xs), max(xs) + 1, min(ys), max(ys) + 1
    step_x, step_y = (x1 - x0) / size, (y1 - y0) / size
    return [
        [
            dark(int(x0 + (col + 0.5) * step_x), int(y0 + (row + 0.5) * step_y))
            for col in range(size)
        ]
        for row in range(size)
    ]


def test_the_qr_code_holds_the_verification_pages_address(certificate):
    url = verify_url(certificate)
    assert url == f"https://std.example.gov.cn/support/certificates/verify/?code={certificate.code}"
    # The address the code opens checks this very certificate.
    code = parse_qs(urlsplit(url).query)["code"][0]
    assert certificate_verify(code) == certificate
    html = certificate_html(certificate)
    assert qr_code(url).svg_data_uri(scale=4, border=4, dark="#000", light="#fff") in html
    assert "https://std.example.gov.cn/support/certificates/verify/" in html
    assert "127.0.0.1" not in html  # the site's own address, not the server's


@needs_chromium
@pytest.mark.parametrize(
    ("language", "words", "course"),
    [
        (
            "en",
            ["Training certificate", "Learning hours", "Verification code"],
            "Standardization basics",
        ),
        ("zh-hans", ["培训证书", "学时", "验证码"], "标准化基础"),
    ],
)
def test_the_pdf_in_the_readers_language(certificate, tmp_path, language, words, course):
    client = logged_in(User.objects.get(username="member"))
    response = client.get(
        reverse("support:certificate-pdf", args=[certificate.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    pdf = response.content
    assert pdf[:5] == b"%PDF-"
    text = pdf_text(pdf, tmp_path)
    for word in [*words, "Mei Chen", certificate.code, course, "16", "2026-05-03"]:
        assert word in text, word
    # The printed QR code is, module for module, the symbol of the verification address.
    expected = qr_code(verify_url(certificate))
    matrix = [[bool(module) for module in row] for row in expected.matrix]
    printed = printed_modules(pdf, tmp_path, len(matrix))
    wrong = sum(
        a != b
        for row_a, row_b in zip(printed, matrix, strict=True)
        for a, b in zip(row_a, row_b, strict=True)
    )
    assert wrong == 0, f"{wrong} modules differ"


def test_who_may_download_it(certificate, firm, monkeypatch, client):
    monkeypatch.setattr(
        "stdplus.support.certificates.html_to_pdf_bytes", lambda html: b"%PDF-1.7 " + html.encode()
    )
    url = reverse("support:certificate-pdf", args=[certificate.pk])
    admin = User.objects.create_user("hr")
    Membership.objects.create(user=admin, organization=firm.organization, role=Role.ADMIN)
    colleague = User.objects.create_user("colleague")
    Membership.objects.create(user=colleague, organization=firm.organization)
    other_admin = User.objects.create_user("other-admin")
    Membership.objects.create(user=other_admin, organization=firm.other, role=Role.ADMIN)
    for user in (firm.member, admin, firm.regulator):
        answer = logged_in(user).get(url)
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF"), user
    for user in (colleague, firm.stranger, other_admin):
        assert logged_in(user).get(url).status_code == 404, user
    assert client.get(url).status_code == 302  # to the log-in
    assert (
        logged_in(firm.member)
        .get(reverse("support:certificate-pdf", args=[certificate.pk + 1]))
        .status_code
        == 404
    )
    # An administrator who left the organization no longer may.
    Membership.objects.filter(user=admin).delete()
    assert logged_in(admin).get(url).status_code == 404
    # Anyone checks the code.
    with translation.override("en"):
        page = client.get(reverse("support:verify"), {"code": certificate.code})
    assert 'data-valid="1"' in page.content.decode()


def test_the_training_page_links_the_pdf_for_the_holder_and_the_administrators(certificate, firm):
    url = reverse("support:certificate-pdf", args=[certificate.pk])
    assert url in logged_in(firm.member).get(reverse("support:training")).content.decode()
    assert url not in logged_in(firm.stranger).get(reverse("support:training")).content.decode()
    colleague = User.objects.create_user("colleague")
    Membership.objects.create(user=colleague, organization=firm.organization)
    assert url not in logged_in(colleague).get(reverse("support:training")).content.decode()
    admin = User.objects.create_user("hr")
    Membership.objects.create(user=admin, organization=firm.organization, role=Role.ADMIN)
    with translation.override("en"):
        page = logged_in(admin).get(reverse("support:training"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert url in html and certificate.code in html
    assert "people: 16" in html  # the organization's learning hours
