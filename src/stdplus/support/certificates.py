"""The printable certificate: one A4 page in the reader's language, with the verification code
and a QR code of the public verification page's address (at the site's own address,
STDPLUS_SITE_URL, as mails and feeds link), printed by `core.pdf` (headless Chromium).

Who may download it: the holder, the administrators of the organization the person trained for
(today's members), and the regulator. Anyone may check the code on the public page.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from stdplus.accounts.models import Membership, Role
from stdplus.core.display import in_language
from stdplus.core.pdf import html_to_pdf_bytes
from stdplus.programme.permissions import can_keep_register

from .models import Certificate

QR_ERROR = "m"  # QR error correction: 15 % of the symbol may be soiled and still read
QR_SCALE = 4  # pixels (SVG units) per module; the page sets the printed size


def verify_url(certificate: Certificate) -> str:
    """The public verification page's absolute address for this certificate's code."""
    path = f"{reverse('support:verify')}?{urlencode({'code': certificate.code})}"
    return settings.STDPLUS_SITE_URL.rstrip("/") + path


def qr_code(text: str):
    """The QR symbol of `text` (segno), the one every reader of this module uses."""
    import segno

    return segno.make(text, error=QR_ERROR, micro=False)


def qr_data_uri(text: str) -> str:
    """The QR code as an SVG data URI (no file, no network: Chromium prints it as it is)."""
    return qr_code(text).svg_data_uri(scale=QR_SCALE, border=4, dark="#000", light="#fff")


def certificate_get(pk: int) -> Certificate | None:
    if not 0 < pk < 2**63:
        return None
    return (
        Certificate.objects.select_related(
            "enrollment__session__course",
            "enrollment__session__region",
            "enrollment__person",
            "enrollment__organization",
        )
        .filter(pk=pk)
        .first()
    )


def certificate_readable(user, certificate: Certificate) -> bool:
    """The holder, an administrator of the organization the holder trained for (an active
    member today), or the regulator."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    enrollment = certificate.enrollment
    if enrollment.person_id == user.pk or can_keep_register(user):
        return True
    return bool(
        enrollment.organization_id
        and Membership.objects.filter(
            user=user,
            organization_id=enrollment.organization_id,
            organization__is_active=True,
            role=Role.ADMIN,
        ).exists()
    )


def certificates_readable(user):
    """The certificates this person may download (the training page lists them)."""
    from django.db.models import Q

    if user is None or not user.is_authenticated:
        return Certificate.objects.none()
    if can_keep_register(user):
        return Certificate.objects.all()
    administered = Membership.objects.filter(
        user=user, role=Role.ADMIN, organization__is_active=True
    ).values("organization_id")
    return Certificate.objects.filter(
        Q(enrollment__person=user) | Q(enrollment__organization_id__in=administered)
    )


def certificate_html(certificate: Certificate) -> str:
    """The certificate's page for print, in the active language."""
    session = certificate.enrollment.session
    course = session.course
    url = verify_url(certificate)
    # The signed title is the Chinese one; an English page shows the course's English title
    # first, and the signed one beside it.
    title = in_language(certificate.course_title, course.title_en)
    context = {
        "certificate": certificate,
        "course_title": title,
        "signed_title": certificate.course_title if title != certificate.course_title else "",
        "session": session,
        "region": in_language(session.region.name_zh, session.region.name_en),
        "verify_url": url,
        "qr": qr_data_uri(url),
    }
    return render_to_string("support/certificate_print.html", context)


def certificate_pdf(certificate: Certificate) -> bytes:
    return html_to_pdf_bytes(certificate_html(certificate))
