"""For every page: the person's unread alerts, shown beside "Inbox" in the navigation."""

from __future__ import annotations


def unread(request) -> dict:
    """`unread_alerts`: counted only when a page shows it (a callable the template calls),
    and only for a person logged in."""
    user = getattr(request, "user", None)

    def count() -> int:
        if user is None or not user.is_authenticated:
            return 0
        from .selectors import inbox

        return inbox(user=user, unread_only=True).count()

    return {"unread_alerts": count}
