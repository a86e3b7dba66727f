"""What an organization can claim, on its page and in the API; applying with evidence, the
reviewer's steps; who sees what; bad input writes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from stdplus.programme.models import (
    EvidenceDocument,
    FundingApplication,
    FundingEvent,
    FundingScheme,
)
from stdplus.support.claims import claims_for

from .conftest import logged_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% evidence\n"


def lines(found):
    return {
        (line.option.scheme.code, line.option.item.code, line.option.claim.label): line
        for line in found.lines
    }


def test_what_the_firm_can_claim_and_why_not(firm):
    found = lines(claims_for(firm.organization))
    # Sole drafter named by the catalog: leads the national standard, from the city and Futian.
    city = found[("SZ-2024", "national-lead", "GB/T 93001-2024")]
    assert city.eligible and city.option.amount == 500_000 and city.option.cap_left == 5_000_000
    assert [code for code, _ in city.evidence_missing] == ["publication", "foreword"]
    assert found[("FT-2024", "national-lead", "GB/T 93001-2024")].eligible
    assert not found[("SZ-2024", "national-part", "GB/T 93001-2024")].eligible
    # Another organization leads the ISO standard: the firm participates.
    assert found[("SZ-2024", "intl-new-part", "ISO 93002:2024")].eligible
    lead = found[("SZ-2024", "intl-new-lead", "ISO 93002:2024")]
    assert [c.check for c in lead.option.failed] == ["lead_or_participate"]
    # Published before the window: explained.
    old = found[("SZ-2024", "industry-lead", "YY/T 93003-2019")]
    assert [c.check for c in old.option.failed] == ["published_in_period"]
    assert found[("SZ-2024", "group-lead", "T/SZAS 93004-2024")].option.amount == 100_000


def test_a_fully_state_funded_unit_can_claim_nothing(firm):
    profile = firm.organization.programme_profile
    profile.fully_state_funded = True
    profile.save()
    found = claims_for(firm.organization)
    assert not found.eligible
    assert all("not_state_funded" in {c.check for c in line.option.failed} for line in found.lines)


def test_the_claims_page_and_its_json(firm):
    client = logged_in(firm.member)
    with translation.override("en"):
        page = client.get(reverse("support:claims"))
    text = page.content.decode()
    assert page.status_code == 200 and 'data-item="national-lead"' in text
    assert "was published (2019-07-01) between 2023-01-01 and 2024-12-31" in text
    twin = page.headers["Link"].split(";")[0].strip("<>")
    data = client.get(twin).json()
    assert data["organization_id"] == firm.organization.pk
    assert {(x["scheme"], x["item"], x["claim"]) for x in data["eligible"]} >= {
        ("SZ-2024", "national-lead", "GB/T 93001-2024"),
        ("FT-2024", "national-lead", "GB/T 93001-2024"),
    }
    assert all(x["failed_rules"] and x["reasons"] for x in data["not_eligible"])
    with translation.override("zh-hans"):
        chinese = client.get(reverse("support:claims"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "Rules not met" not in chinese.content.decode()


def test_only_members_and_the_regulator_see_claims(firm, client):
    url = reverse("api:support_claims")
    assert client.get(url, {"organization": firm.organization.pk}).status_code == 401
    assert client.get(reverse("support:claims")).status_code == 302  # to the login page
    stranger = logged_in(firm.stranger)
    assert stranger.get(url, {"organization": firm.organization.pk}).status_code == 404
    assert (
        stranger.get(reverse("support:claims"), {"organization": firm.organization.pk}).status_code
        == 404
    )
    regulator = logged_in(firm.regulator)
    seen = regulator.get(url, {"organization": firm.organization.pk}).json()
    assert seen["organization_id"] == firm.organization.pk


def _apply(client, firm, participation, item_code, amount, scheme="SZ-2024"):
    item = FundingScheme.objects.get(code=scheme).item_types.get(code=item_code)
    return client.post(
        reverse("support:apply"),
        {
            "organization": firm.organization.pk,
            "item": item.pk,
            "subject": "standard",
            "ref": participation.pk,
            "amount": amount,
        },
    )


def test_the_whole_walk_from_claim_to_payment(firm):
    member = logged_in(firm.member)
    response = _apply(member, firm, firm.national, "national-lead", 400_000)
    application = FundingApplication.objects.get()
    assert response.url == reverse("programme:application-detail", args=[application.pk])
    assert application.state == "draft" and application.amount_requested == 400_000
    page_url = response.url
    # Submitting without the evidence is refused, and says what is missing.
    with translation.override("en"):
        refused = member.post(page_url, {"action": "submit"}, follow=True).content.decode()
    assert "Evidence still missing" in refused
    application.refresh_from_db()
    assert application.state == "draft"
    for kind in ("publication", "foreword"):
        upload = _pdf(f"{kind}.pdf")
        member.post(
            reverse("programme:evidence-upload", args=[application.pk]),
            {"kind": kind, "file": upload},
        )
    assert application.evidence.count() == 2
    member.post(page_url, {"action": "submit"})
    regulator = logged_in(firm.regulator)
    regulator.post(page_url, {"action": "review"})
    regulator.post(
        page_url, {"action": "request_evidence", "note": "Attach the attendance records"}
    )
    application.refresh_from_db()
    assert application.state == "more_evidence"
    member.post(
        reverse("programme:evidence-upload", args=[application.pk]),
        {"kind": "attendance", "file": _pdf("attendance.pdf")},
    )
    member.post(page_url, {"action": "resubmit"})
    regulator.post(page_url, {"action": "approve", "amount_awarded": "350000"})
    regulator.post(page_url, {"action": "pay"})
    application.refresh_from_db()
    assert (application.state, application.amount_awarded) == ("paid", 350_000)
    assert list(application.events.order_by("pk").values_list("action", "to_state")) == [
        ("create", "draft"),
        ("submit", "submitted"),
        ("review", "under_review"),
        ("request_evidence", "more_evidence"),
        ("resubmit", "under_review"),
        ("approve", "approved"),
        ("pay", "paid"),
    ]
    # The award now counts against the scheme's cap per organization, and the claim is taken.
    found = lines(claims_for(firm.organization))
    assert found[("SZ-2024", "intl-new-part", "ISO 93002:2024")].option.cap_left == 4_650_000
    assert "no_double_claim" in {
        c.check for c in found[("SZ-2024", "national-lead", "GB/T 93001-2024")].option.failed
    }
    # Futian stacks on the city's scheme: still open for the same standard.
    assert found[("FT-2024", "national-lead", "GB/T 93001-2024")].eligible
    # Evidence is a download for those who see the application, and nobody else.
    document = application.evidence.first()
    download = reverse("programme:evidence-download", args=[application.pk, document.pk])
    got = member.get(download)
    assert (
        got["Content-Disposition"].startswith("attachment")
        and got["X-Content-Type-Options"] == "nosniff"
    )
    assert logged_in(firm.stranger).get(download).status_code == 404
    assert logged_in(firm.stranger).get(page_url).status_code == 404


def _pdf(name, data=PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_an_application_past_the_window_is_refused_and_nothing_written(firm):
    FundingScheme.objects.filter(code="SZ-2024").update(apply_until=dt.date(2025, 3, 31))
    member = logged_in(firm.member)
    with translation.override("en"):
        response = _apply(member, firm, firm.national, "national-lead", 400_000)
        page = member.get(response.url).content.decode()
    assert "open from — to 2025-03-31" in page and "no application can be made" in page
    assert not FundingApplication.objects.exists() and not FundingEvent.objects.exists()
    found = lines(claims_for(firm.organization))
    assert "application_window" in {
        c.check for c in found[("SZ-2024", "national-lead", "GB/T 93001-2024")].option.failed
    }


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("proof.exe", b"MZ\x90\x00", "only PDF, PNG or JPEG files"),
        ("proof.pdf", b"<script>alert(1)</script>", "its content does not match its name"),
        ("proof.pdf", b"", "is empty"),
        ("proof.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "evidence files may be at most"),
    ],
)
def test_evidence_of_a_wrong_type_or_size_is_refused(firm, name, data, message):
    member = logged_in(firm.member)
    _apply(member, firm, firm.national, "national-lead", 400_000)
    application = FundingApplication.objects.get()
    with translation.override("en"):
        response = member.post(
            reverse("programme:evidence-upload", args=[application.pk]),
            {"kind": "publication", "file": _pdf(name, data)},
            follow=True,
        )
    assert message in response.content.decode()
    assert not EvidenceDocument.objects.exists()


def test_amounts_above_the_cap_and_foreign_claims_are_refused(firm):
    member = logged_in(firm.member)
    with translation.override("en"):
        response = _apply(member, firm, firm.national, "national-lead", 500_001)
        assert "must be between 1 and 500,000 CNY" in member.get(response.url).content.decode()
    stranger = logged_in(firm.stranger)
    assert _apply(stranger, firm, firm.national, "national-lead", 1).status_code == 404
    assert not FundingApplication.objects.exists()
