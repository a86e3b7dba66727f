"""What apps above the catalog add to a standard's page, without the catalog importing them.

STANDARD_PAGE
    Called by `views.standard_detail` with (request, standard); each listener returns a piece
    of HTML (already escaped, e.g. `render_to_string`) or "" to show nothing.
    Listeners:
      - ``declarations.declared_by``: how many enterprises declare the standard, with the
        list (`stdplus.declarations.views.standard_panel`, connected in
        `stdplus/declarations/apps.py`).
      - ``support.questions``: the public answers of the experts about the standard, linked
        to the knowledge base (`stdplus.support.views.standard_panel`, connected in
        `stdplus/support/apps.py`).
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from stdplus.core.hooks import Hook

STANDARD_PAGE = Hook(
    "standard_page",
    expects=("declarations.declared_by", "support.questions"),
    declared_in="stdplus/catalog/panels.py",
)


def standard_panels(request, standard) -> list[SafeString]:
    """The pieces the listeners add to the page of `standard`, in the hook's order."""
    pieces = []
    for listener in STANDARD_PAGE.listeners().values():
        piece = listener(request, standard)
        if piece:
            pieces.append(SafeString(piece))
    return pieces
