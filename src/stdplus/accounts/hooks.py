"""Who else hears of a change to accounts: the hooks, and the listeners each one expects.

accounts does not import the apps above it (see stdplus.core.hooks).

MEMBERSHIP_ENDED
    A person stopped belonging to an organization (removed, left, or the person or the
    organization was deleted). Sent by `services.membership_grants_end` inside the transaction
    that deletes the membership, with ``user_id`` and ``organization_id``; every listener ends
    what the membership granted, in that same transaction.
    Listeners:
      - ``watch.grants``: the person's watchers, feed addresses and inbox entries on the
        organization's watch lists, and the webhooks they added there
        (`stdplus.watch.services.membership_grants_end`, connected in `stdplus/watch/apps.py`).
"""

from __future__ import annotations

from stdplus.core.hooks import Hook

MEMBERSHIP_ENDED = Hook(
    "membership_ended", expects=("watch.grants",), declared_in="stdplus/accounts/hooks.py"
)
