"""Hooks of the demo dataset (`stdplus programme demo`): apps that are not the programme's, and
that the programme does not import, add and remove their own demo rows.

DEMO_GENERATED
    Sent by `programme.services.demo.demo_generate` once the demo organizations exist, with
    `organization_ids` (the demo enterprises and others, all flagged demo), `seed` (an int)
    and `say` (progress: `say(step, done, total)`).
    Listeners:
      - ``declarations.demo``: self-declarations of the demo enterprises, flagged demo
        (`stdplus.declarations.demo.demo_declarations_generate`, connected in
        `stdplus/declarations/apps.py`).

DEMO_CLEARING
    Sent by `programme.services.demo.demo_clear` inside its transaction, before the demo
    organizations are deleted, with `tally` (a dict to add `removed` rows to).
    Listeners:
      - ``declarations.demo``: removes the demo declarations and their histories
        (`stdplus.declarations.demo.demo_declarations_clear`).
"""

from __future__ import annotations

from .hooks import Hook

DEMO_GENERATED = Hook(
    "demo_generated", expects=("declarations.demo",), declared_in="stdplus/core/demo_hooks.py"
)
DEMO_CLEARING = Hook(
    "demo_clearing", expects=("declarations.demo",), declared_in="stdplus/core/demo_hooks.py"
)
