"""Pilot projects: creation; their state changes are the steps of programme.lifecycles.PILOT."""

from __future__ import annotations

from stdplus.core.errors import Where

from ..choices import PilotState
from ..models import Pilot
from .audit import record_create


def pilot_create(*, values: dict, actor=None, where: Where | None = None) -> Pilot:
    """A new pilot starts approved; its history starts on its start date."""
    values = {**values, "state": PilotState.APPROVED, "state_since": values.get("start")}
    return record_create(model=Pilot, values=values, actor=actor, where=where)
