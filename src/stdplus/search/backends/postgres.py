"""PostgreSQL: a weighted tsvector (generated column, GIN index) over the token columns.

Weights: A identifier, B titles, C scope, D facet tokens; a tier restricts a term's tokens to
the weights of its columns (`'manag':*AB`).
"""

from __future__ import annotations

from ..text import Term
from .base import SCOPE_ONLY, TITLE, Backend, Match


def _term(term: Term, weights: str) -> str:
    tokens = [f"'{token}':{weights}" for token in term.tokens]
    if term.prefix:
        tokens[-1] = f"'{term.tokens[-1]}':*{weights}"
    joined = " <-> ".join(tokens)
    return f"({joined})" if len(tokens) > 1 else joined


def tsquery(match: Match, tier: int) -> str:
    parts = []
    if match.terms:
        every = " & ".join(_term(t, "ABC") for t in match.terms)
        title = " & ".join(_term(t, "AB") for t in match.terms)
        if tier == TITLE:
            parts.append(f"({title})")
        elif tier == SCOPE_ONLY:
            parts.append(f"({every}) & !({title})")
        else:
            parts.append(f"({every})")
    for group in match.facet_groups:
        parts.append("(" + " | ".join(f"'{token}':D" for token in group) + ")")
    return " & ".join(parts)


class PostgresBackend(Backend):
    vendor = "postgresql"

    def _fulltext(self, match: Match, tier: int) -> tuple[str, list]:
        query = tsquery(match, tier)
        if not query:
            return "", []
        return "d.document @@ to_tsquery('simple', %s)", [query]
