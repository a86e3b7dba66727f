"""Editing one standard by hand (staff, through the admin or the API), with its change events.

The same write path as an import, for one standard and in one transaction: fields (fields.py),
events (events.py), the generation (state.py), then settling its status and telling the
listeners (settle.py).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stdplus.catalog.models import Standard
from stdplus.catalog.status import base_status
from stdplus.core.errors import ApplicationError, Where

from .events import event_row, events_insert
from .fields import EDITABLE_FIELDS, event_kind
from .journal import catalog_wait_free
from .settle import changes_settle, pending_record
from .state import catalog_busy_error, generation_claim

BUSY_WAIT = 10.0  # seconds to wait for an import that is writing its rows


def standard_update(*, standard: Standard, changes: dict, source: str = "edit") -> list[str]:
    """Apply field changes to one standard; record an event per changed field; derive status.

    Returns the names of the fields that changed.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ApplicationError(
            _("these fields cannot be edited: %(fields)s"),
            params={"fields": ", ".join(sorted(unknown))},
            where=Where(field=sorted(unknown)[0]),
            code="not_editable",
        )
    if not catalog_wait_free(timeout=BUSY_WAIT):  # an import writing in steps: wait a little
        raise catalog_busy_error()
    with transaction.atomic():
        generation_claim(None)
        current = Standard.objects.select_for_update().get(pk=standard.pk)
        events, changed = [], []
        for name, new in changes.items():
            old = getattr(current, name)
            if old == new:
                continue
            setattr(current, name, new)
            changed.append(name)
            events.append(
                event_row(current.pk, event_kind(name), name, old, new, source=source, run_id=None)
            )
        if not changed:
            return []
        if "source_status" in changed or "stage_code" in changed:
            current.base_status = base_status(current.source_status, current.stage_code)
            changed.append("base_status")
        current.full_clean(exclude=["classifications"])
        current.save(update_fields=[*changed, "updated_at"])
        events_insert(events)
        pending_record([current.canonical], source=source, changed=[current.canonical])
        changes_settle(pause=0)  # statuses, then hooks.STANDARDS_CHANGED (search.index)
    standard.refresh_from_db()
    return changed
