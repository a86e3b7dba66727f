"""What apps above the declarations add to a declaration's page, without this app importing
them (as `catalog/panels.py` does for a standard's page).

DECLARATION_PAGE
    Called by `views.detail` with (request, declaration, products); each listener returns a
    piece of HTML (already escaped, e.g. `render_to_string`) or "" to show nothing.
    Listeners:
      - ``supervision.holds_back``: for each product, what keeps it out of the leader tier of
        a scheme in effect, and the value needed (`stdplus.supervision.views.holds_back_panel`,
        connected in `stdplus/supervision/apps.py`).
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from stdplus.core.hooks import Hook

DECLARATION_PAGE = Hook(
    "declaration_page",
    expects=("supervision.holds_back",),
    declared_in="stdplus/declarations/panels.py",
)


def declaration_panels(request, declaration, products) -> list[SafeString]:
    """The pieces the listeners add to the page of `declaration`, in the hook's order."""
    pieces = []
    for listener in DECLARATION_PAGE.listeners().values():
        piece = listener(request, declaration, products)
        if piece:
            pieces.append(SafeString(piece))
    return pieces
