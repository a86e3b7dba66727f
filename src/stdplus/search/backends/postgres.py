"""PostgreSQL: a weighted tsvector (generated column, GIN index) over the token columns.

Weights: A identifier, B titles, C scope, D cross-language words and facet tokens (no text
term reads a facet token: they start with "z" and a code). A term's same-language match reads
A, B and C (`'manag':*ABC`); its cross-language match D, or its English translation in B and C.
"""

from __future__ import annotations

from ..indexing import DEMO_TOKEN, NO_CHINESE_TITLE
from ..text import Term
from .base import CROSS, EXACT, NATIVE, TITLED, Backend, Match, _phrase_text, query_exact_token

# ts_rank_cd's weights of D, C, B, A.
WEIGHTS = "{0.05, 0.2, 0.5, 1.0}"


def _term(term: Term, weights: str) -> str:
    tokens = [f"'{token}':{weights}" for token in term.tokens]
    if term.prefix:
        tokens[-1] = f"'{term.tokens[-1]}':*{weights}"
    joined = " <-> ".join(tokens)
    return f"({joined})" if len(tokens) > 1 else joined


def _any(match: Match, index: int, term: Term) -> str:
    either = [_term(term, "ABCD")]
    translation = match.translation(index)
    if translation is not None:
        words = [
            "(" + " | ".join(_term(p, "BC") for p in word.english) + ")"
            for word in translation.words
        ]
        either.append("(" + " & ".join([*words, f"'{NO_CHINESE_TITLE}':D"]) + ")")
    return "(" + " | ".join(either) + ")"


def tsquery(match: Match, tier: int) -> str:
    parts = []
    if match.terms:
        native = " & ".join(_term(t, "ABC") for t in match.terms)
        every = " & ".join(_any(match, i, t) for i, t in enumerate(match.terms))
        if tier == NATIVE:
            parts.append(f"({native})")
        elif tier == TITLED:
            phrase, prefix = _phrase_text(match.terms)
            titled = _term(Term(phrase, tuple(phrase.split()), prefix, cjk=False), "B")
            parts.append(f"({native}) & {titled}")
        elif tier == EXACT:
            parts.append(f"({native}) & '{query_exact_token(match)}':D")
        elif tier == CROSS:
            parts.append(f"({every}) & !({native})")
        else:
            parts.append(f"({every})")
    for group in match.facet_groups:
        parts.append("(" + " | ".join(f"'{token}':D" for token in group) + ")")
    if parts and match.hide_demo:
        parts.append(f"!'{DEMO_TOKEN}':D")
    return " & ".join(parts)


class PostgresBackend(Backend):
    vendor = "postgresql"
    find = "strpos"

    def _fulltext(self, match: Match, tier: int) -> tuple[str, list]:
        query = tsquery(match, tier)
        if not query:
            return "", []
        return "d.document @@ to_tsquery('simple', %s)", [query]

    def _score(self, match: Match, tier: int) -> tuple[str, list]:
        return (
            f"-ts_rank_cd('{WEIGHTS}', d.document, to_tsquery('simple', %s))",
            [tsquery(match, tier)],
        )
