"""Editing one standard by hand (staff, through the admin or the API), with its change events."""

from __future__ import annotations

from django.db import transaction

from stdplus.catalog.choices import EventKind
from stdplus.catalog.models import ChangeEvent, Standard
from stdplus.catalog.status import base_status
from stdplus.core.errors import ApplicationError

from .changes import changes_collected, standards_changed
from .imports import DATE_FIELDS
from .recompute import statuses_recompute

EDITABLE = {
    "title_en",
    "title_zh",
    "scope",
    "source_status",
    "stage_code",
    "published",
    "effective",
    "withdrawn",
    "confirmed",
    "committee",
    "drafting_organizations",
    "url",
}


def standard_update(*, standard: Standard, changes: dict, source: str = "edit") -> list[str]:
    """Apply field changes to one standard; record an event per changed field; derive status.

    Returns the names of the fields that changed.
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ApplicationError(
            f"these fields cannot be edited: {', '.join(sorted(unknown))}", code="not_editable"
        )
    with transaction.atomic(), changes_collected():
        current = Standard.objects.select_for_update().get(pk=standard.pk)
        events, changed = [], []
        for name, new in changes.items():
            old = getattr(current, name)
            if old == new:
                continue
            setattr(current, name, new)
            changed.append(name)
            kind = EventKind.DATES if name in DATE_FIELDS else EventKind.FIELDS
            events.append(
                ChangeEvent(
                    standard=current,
                    kind=kind,
                    field=name,
                    source=source,
                    old_value=old.isoformat() if hasattr(old, "isoformat") else old,
                    new_value=new.isoformat() if hasattr(new, "isoformat") else new,
                )
            )
        if not changed:
            return []
        if "source_status" in changed or "stage_code" in changed:
            current.base_status = base_status(current.source_status, current.stage_code)
            changed.append("base_status")
        current.full_clean(exclude=["classifications"])
        current.save(update_fields=[*changed, "updated_at"])
        ChangeEvent.objects.bulk_create(events)
        standards_changed({current.pk})
        statuses_recompute(canonicals={current.canonical}, source=source)
        standard.refresh_from_db()
        return changed
