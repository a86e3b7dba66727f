"""The rules of standards development as data: the legal minimum and deadline clocks of each
kind of project, and the ballot pass rules. Pure Python (no database), so that pages, services,
the lifecycle tables and tests read one table.

Local standards: national rules (SAMR Order 26, 2020) and Shenzhen's local standards rules
(2022): public comment at least 30 days, periodic review at most 5 years after publication;
filing within 60 days (unconfirmed: kept here as data). Group standards (2019 group standards
rules): comment about 30 days (kept at 30, the minimum both kinds share), review within 5 years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from .choices import Kind, Position, State


@dataclass(frozen=True)
class KindRules:
    comment_min_days: int = 30
    review_years: int = 5
    review_notice_days: int = 183  # the review falls due (and is listed) six months ahead
    # Days a project may stay in a state before it is overdue (the state's deadline clock).
    deadlines: dict[str, int] = field(default_factory=dict)


RULES: dict[str, KindRules] = {
    Kind.LOCAL: KindRules(
        deadlines={
            State.PROPOSED: 90,
            State.HANDLING: 30,
            State.REVIEW: 60,
            State.APPROVAL: 30,
            State.NUMBERING: 30,
            State.PUBLISHED: 60,  # filing within 60 days (unconfirmed)
        }
    ),
    Kind.GROUP: KindRules(
        deadlines={
            State.PROPOSED: 60,
            State.HANDLING: 30,
            State.REVIEW: 60,
            State.APPROVAL: 30,
            State.NUMBERING: 30,
        }
    ),
}


def rules_for(kind: str) -> KindRules:
    return RULES[kind]


def review_due_from(published: dt.date, kind: str) -> dt.date:
    """The latest day of the periodic review: `review_years` after publication."""
    years = rules_for(kind).review_years
    try:
        return published.replace(year=published.year + years)
    except ValueError:  # 29 February
        return published.replace(year=published.year + years, day=28)


# ----------------------------------------------------------------------------------------------
# Ballots


@dataclass(frozen=True)
class PassRule:
    """How a ballot passes: a quorum of the eligible panel, then the rule's fractions.

    `base` is what the approval fraction is measured against: "present" (everyone who took
    part, abstentions included) or "cast" (approvals and disapprovals; abstentions excluded).
    `max_negative` (a fraction of the votes cast) is ISO's second condition.
    """

    code: str
    label: object
    approve: Fraction
    base: str
    max_negative: Fraction | None = None
    quorum: Fraction = Fraction(2, 3)


PASS_RULES: dict[str, PassRule] = {
    rule.code: rule
    for rule in (
        PassRule(
            "three_quarters_present",
            _("three quarters of those present approve"),
            Fraction(3, 4),
            "present",
        ),
        PassRule(
            "four_fifths_present",
            _("four fifths of those present approve"),
            Fraction(4, 5),
            "present",
        ),
        PassRule(
            "iso",
            _("ISO: two thirds of the votes cast approve, at most a quarter negative"),
            Fraction(2, 3),
            "cast",
            max_negative=Fraction(1, 4),
        ),
    )
}
PASS_RULE_CHOICES = [(rule.code, rule.label) for rule in PASS_RULES.values()]
APPROVING = (Position.APPROVE, Position.APPROVE_COMMENTS)


@dataclass(frozen=True)
class BallotResult:
    rule: str
    eligible: int
    present: int
    approve: int
    disapprove: int
    abstain: int
    quorum_needed: int
    quorum_met: bool
    approve_share: Fraction | None
    negative_share: Fraction | None
    passed: bool
    lines: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "eligible": self.eligible,
            "present": self.present,
            "approve": self.approve,
            "disapprove": self.disapprove,
            "abstain": self.abstain,
            "quorum_needed": self.quorum_needed,
            "quorum_met": self.quorum_met,
            "approve_share": float(self.approve_share) if self.approve_share is not None else None,
            "negative_share": float(self.negative_share)
            if self.negative_share is not None
            else None,
            "passed": self.passed,
            "arithmetic": list(self.lines),
        }


def _ceil(value: Fraction) -> int:
    return -((-value.numerator) // value.denominator)


def _pct(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%"


def ballot_count(rule_code: str, *, eligible: int, positions: list[str]) -> BallotResult:
    """The result of a ballot under a rule, with its arithmetic in the active language.

    `eligible`: panel members who may vote (those with a conflict of interest are not
    counted); `positions`: the positions cast, one per member who took part.
    """
    rule = PASS_RULES[rule_code]
    present = len(positions)
    approve = sum(1 for p in positions if p in APPROVING)
    disapprove = sum(1 for p in positions if p == Position.DISAPPROVE)
    abstain = sum(1 for p in positions if p == Position.ABSTAIN)
    quorum_needed = _ceil(rule.quorum * eligible) if eligible else 1
    quorum_met = eligible > 0 and present >= quorum_needed
    lines = [
        str(
            _(
                "Quorum: %(present)s of %(eligible)s eligible members took part; %(needed)s "
                "needed (%(fraction)s): %(verdict)s."
            )
        )
        % {
            "present": present,
            "eligible": eligible,
            "needed": quorum_needed,
            "fraction": f"{rule.quorum.numerator}/{rule.quorum.denominator}",
            "verdict": _("met") if quorum_met else _("not met"),
        }
    ]
    base = present if rule.base == "present" else approve + disapprove
    approve_share = Fraction(approve, base) if base else None
    ok_approve = approve_share is not None and approve_share >= rule.approve
    base_label = _("present") if rule.base == "present" else _("cast (abstentions excluded)")
    lines.append(
        str(
            _(
                "Approvals: %(approve)s of %(base)s %(base_label)s = %(share)s; %(needed)s "
                "(%(fraction)s) needed: %(verdict)s."
            )
        )
        % {
            "approve": approve,
            "base": base,
            "base_label": base_label,
            "share": _pct(approve_share) if approve_share is not None else "—",
            "needed": _pct(rule.approve),
            "fraction": f"{rule.approve.numerator}/{rule.approve.denominator}",
            "verdict": _("met") if ok_approve else _("not met"),
        }
    )
    negative_share = None
    ok_negative = True
    if rule.max_negative is not None:
        cast = approve + disapprove
        negative_share = Fraction(disapprove, cast) if cast else None
        ok_negative = negative_share is not None and negative_share <= rule.max_negative
        lines.append(
            str(
                _(
                    "Disapprovals: %(disapprove)s of %(cast)s cast = %(share)s; at most "
                    "%(limit)s (%(fraction)s) allowed: %(verdict)s."
                )
            )
            % {
                "disapprove": disapprove,
                "cast": cast,
                "share": _pct(negative_share) if negative_share is not None else "—",
                "limit": _pct(rule.max_negative),
                "fraction": f"{rule.max_negative.numerator}/{rule.max_negative.denominator}",
                "verdict": _("met") if ok_negative else _("not met"),
            }
        )
    passed = quorum_met and ok_approve and ok_negative
    lines.append(str(_("Result: passed.") if passed else _("Result: not passed.")))
    return BallotResult(
        rule=rule.code,
        eligible=eligible,
        present=present,
        approve=approve,
        disapprove=disapprove,
        abstain=abstain,
        quorum_needed=quorum_needed,
        quorum_met=quorum_met,
        approve_share=approve_share,
        negative_share=negative_share,
        passed=passed,
        lines=tuple(lines),
    )
