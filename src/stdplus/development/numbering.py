"""Numbers of local and group standards: DB4403/T n-yyyy (Shenzhen local standards, the prefix
from settings) and T/<code> n-yyyy (a group's registered code, unique among groups: the
register's issuer codes). The system proposes the next number of the series and refuses
collisions with the catalog (any edition of another work under that number) and with other
projects. A revision keeps the revised standard's number with the new year.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stdplus.catalog.models import Standard
from stdplus.catalog.selectors import standard_get
from stdplus.core.errors import ApplicationError, Where
from stdplus.identifiers import parse
from stdplus.programme.choices import IssuerKind
from stdplus.programme.models import IssuerCode

from .choices import Kind, Nature, State


def local_prefix() -> str:
    return getattr(settings, "STDPLUS_LOCAL_STANDARD_PREFIX", "DB4403/T")


def group_code(organization) -> str | None:
    """The association's registered group code (T/<code>), from the register."""
    return (
        IssuerCode.objects.filter(organization=organization, kind=IssuerKind.GROUP)
        .order_by("pk")
        .values_list("code", flat=True)
        .first()
    )


def series_prefix(project) -> str:
    """The prefix of the project's number: "DB4403/T" or "T/<code>"."""
    if project.kind == Kind.LOCAL:
        return local_prefix()
    code = group_code(project.owner)
    if not code:
        raise ApplicationError(
            _(
                "%(organization)s has no group code in the register: register its code "
                "(T/…) before numbering a group standard."
            ),
            params={"organization": str(project.owner)},
            where=Where(field="number"),
            code="no_group_code",
        )
    code = code.removeprefix("T/")
    return f"T/{code}"


def _sequences(prefix: str) -> list[int]:
    numbers = Standard.objects.filter(prefix=prefix).values_list("number", flat=True)
    from .models import Project

    taken = Project.objects.filter(number__startswith=prefix + " ").values_list("number", flat=True)
    found = [int(n) for n in numbers if str(n).isdigit()]
    for text in taken:
        match = re.match(rf"^{re.escape(prefix)} (\d+)-\d{{4}}$", text)
        if match:
            found.append(int(match[1]))
    return found


def number_propose(project, *, year: int) -> str:
    """The next number in the project's series for a standard published in `year`."""
    if project.nature == Nature.REVISION and project.revises_id:
        revised = project.revises
        if revised.prefix == series_prefix(project) and revised.number:
            return f"{revised.prefix} {revised.number}-{year}"
    prefix = series_prefix(project)
    return f"{prefix} {max(_sequences(prefix), default=0) + 1}-{year}"


def number_check(project, text: str, *, year: int) -> str:
    """The canonical number if `text` may number this project's standard; else a refusal."""
    where = Where(field="number")
    prefix = series_prefix(project)
    identifier = parse((text or "").strip()[:80])
    if not identifier.ok or identifier.prefix != prefix or identifier.year is None:
        raise ApplicationError(
            _("“%(text)s” is not a number of this series: write %(prefix)s n-%(year)s."),
            params={"text": text, "prefix": prefix, "year": year},
            where=where,
            code="bad_number",
        )
    if identifier.year != year:
        raise ApplicationError(
            _("The year of %(number)s must be the year of publication, %(year)s."),
            params={"number": identifier.canonical, "year": year},
            where=where,
            code="bad_number",
        )
    canonical = identifier.canonical
    if standard_get(canonical) is not None:
        raise ApplicationError(
            _("%(number)s is in the catalog already: a number names one standard."),
            params={"number": canonical},
            where=where,
            code="duplicate_number",
        )
    revised_work = project.revises.work_key if project.revises_id else None
    other = (
        Standard.objects.filter(work_key=identifier.work)
        .exclude(work_key=revised_work or "-")
        .values_list("canonical", flat=True)
        .first()
    )
    if other is not None:
        raise ApplicationError(
            _(
                "%(number)s collides with %(other)s in the catalog: this number belongs to "
                "another standard."
            ),
            params={"number": canonical, "other": other},
            where=where,
            code="duplicate_number",
        )
    from .models import Project

    others = (
        Project.objects.filter(number__startswith=identifier.work + "-")
        .exclude(pk=project.pk)
        .exclude(state=State.TERMINATED)
    )
    if revised_work:  # the revised standard's earlier editions share its number
        others = others.exclude(number__startswith=revised_work + "-")
    clash = others.first()
    if clash is not None:
        raise ApplicationError(
            _("%(number)s is given to another project already (%(project)s)."),
            params={"number": clash.number, "project": clash.title},
            where=where,
            code="duplicate_number",
        )
    return canonical
