"""What an organization can claim from the funding schemes, how much, and why not: the one place
where the funding rules are applied.

Pure: it reads facts (the dataclasses below), never the database. `programme.selectors`
builds the facts from the register and the catalog (`eligibility_facts`); the application
checks (`programme.services.funding.eligibility_checks`), the support pages and API
(`support.claims`) and the benchmark (`bench/bench_eligibility.py`) all call `claim_checks` or
`options_for` here.

The rules are data the regulator edits (`FundingScheme`, `FundingItemType`): the region, the
publication window, the application window, the level, new or revision, lead or participate, the
item's cap, the scheme's cap per organization, the yearly counts (all organizations, and one
organization), the exclusion of fully state-funded units, and whether a scheme stacks on another.
Each rule that fails is a `Check` with its name and parameters; the sentence is
`programme.models.funding.CHECK_MESSAGES[name]`, translated when shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .choices import LEAD_ROLES, FundingSubject, RoleClass, WorkKind


def is_lead(role: str, catalog_drafters: int, register_drafters: int) -> bool:
    """ "Lead" means the sole drafter or the first drafting organization named in the foreword.

    The register records the first-named organization as lead drafter (matching gives position 0
    the role `lead`; international project leaders and convenors lead too): `role` in LEAD_ROLES.
    An organization is also the sole drafter when the catalog names exactly one drafting
    organization and the register knows no other organization on the standard (a catalog entry
    that names none says nothing: the recorded role decides).
    """
    if role in LEAD_ROLES:
        return True
    return catalog_drafters == 1 and register_drafters <= 1


@dataclass(frozen=True, slots=True)
class OrgFacts:
    id: int
    region_code: str
    state_funded: bool = False


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """Something the organization may claim for: a participation in a standard, or a pilot."""

    subject: str  # FundingSubject
    ref_id: int  # the participation's or the pilot's id
    subject_id: int  # what two claims must not both be paid for: the standard's or pilot's id
    label: str  # the standard's identifier or the pilot's name
    level: str  # catalog level, or pilot level
    date: dt.date | None  # published, or the day the pilot was completed
    body: str = ""
    revision: bool = False
    role: str = ""
    lead: bool = False
    own: bool = True  # the organization's own, live record


@dataclass(frozen=True, slots=True)
class ItemRule:
    id: int
    code: str
    name_zh: str
    name_en: str
    subject: str
    cap: int
    levels: frozenset[str] = frozenset()
    prefixes: frozenset[str] = frozenset()
    pilot_levels: frozenset[str] = frozenset()
    work: str = WorkKind.ANY
    role_class: str = RoleClass.ANY
    yearly_count_cap: int | None = None
    organization_yearly_count_cap: int | None = None
    evidence_required: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SchemeRule:
    id: int
    code: str
    name_zh: str
    name_en: str
    region_zh: str
    region_en: str
    region_codes: frozenset[str]
    period_start: dt.date
    period_end: dt.date
    items: tuple[ItemRule, ...]
    apply_from: dt.date | None = None
    apply_until: dt.date | None = None
    organization_cap: int | None = None
    excludes_state_funded: bool = True
    stackable: bool = False
    to_be_confirmed: bool = False


@dataclass
class Holdings:
    """What applications already hold, as far as the rules need it.

    `scheme_amounts[scheme]`: the organization's amount in the scheme (awarded, or requested while
    the application is open); `org_item_counts[(item, year)]`: the organization's claims of an
    item in a year; `item_counts[(item, year)]`: everyone's awarded claims of an item in a year;
    `claims[(subject, subject id)]`: the schemes where the organization already claims it;
    `evidence[(item, subject, subject id)]`: kinds of evidence attached to the organization's
    application for it; `stackable`: ids of schemes that stack on others.
    """

    scheme_amounts: dict[int, int] = field(default_factory=dict)
    org_item_counts: dict[tuple[int, int], int] = field(default_factory=dict)
    item_counts: dict[tuple[int, int], int] = field(default_factory=dict)
    claims: dict[tuple[str, int], set[int]] = field(default_factory=dict)
    evidence: dict[tuple[int, str, int], frozenset[str]] = field(default_factory=dict)
    stackable: frozenset[int] = frozenset()


@dataclass(slots=True)
class Check:
    """One rule applied: its name, whether it holds, and the parameters of its message."""

    check: str
    ok: bool
    params: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "params": self.params}


@dataclass(slots=True)
class Option:
    """One item of one scheme for one claim: eligible or not (the failed rules say why)."""

    scheme: SchemeRule
    item: ItemRule
    claim: ClaimFacts
    checks: list[Check]
    amount: int  # what can be claimed now: the item's cap within what the scheme's cap leaves
    cap_left: int | None  # what the scheme's cap per organization leaves (None: no such cap)
    evidence_missing: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if not check.ok]


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def cap_left(scheme: SchemeRule, holdings: Holdings) -> int | None:
    if scheme.organization_cap is None:
        return None
    return max(0, scheme.organization_cap - holdings.scheme_amounts.get(scheme.id, 0))


def claim_checks(
    *,
    org: OrgFacts,
    scheme: SchemeRule,
    item: ItemRule,
    claim: ClaimFacts | None,
    holdings: Holdings,
    on: dt.date,
    amount: int | None = None,
    full: bool = True,
    item_scheme_id: int | None = None,
) -> list[Check]:
    """Every rule for one claim of one item. `amount`: the amount asked (an application);
    `full=False` keeps the failed rules only (what a listing needs, and much faster);
    `item_scheme_id`: the scheme the item belongs to, when it may differ from `scheme`."""
    checks: list[Check] = []

    def add(name: str, ok: bool, params: Callable[[], dict[str, Any]]) -> None:
        if full or not ok:
            checks.append(Check(name, ok, params()))

    if item_scheme_id is not None:
        add("item_in_scheme", item_scheme_id == scheme.id, lambda: {"scheme": scheme.code})
    add(
        "organization_in_region",
        org.region_code in scheme.region_codes,
        lambda: {
            "region_zh": scheme.region_zh,
            "region_en": scheme.region_en,
            "code": org.region_code or "—",
        },
    )
    if scheme.excludes_state_funded:
        add("not_state_funded", not org.state_funded, dict)
    if scheme.apply_from is not None or scheme.apply_until is not None:
        add(
            "application_window",
            (scheme.apply_from is None or scheme.apply_from <= on)
            and (scheme.apply_until is None or on <= scheme.apply_until),
            lambda: {
                "day": on.isoformat(),
                "start": _iso(scheme.apply_from),
                "end": _iso(scheme.apply_until),
            },
        )
    if amount is not None:
        add("cap", 0 < amount <= item.cap, lambda: {"amount": amount, "cap": item.cap})
    standard = item.subject == FundingSubject.STANDARD
    if claim is None:
        add("claims_a_participation" if standard else "claims_a_pilot", False, dict)
    elif standard:
        if claim.subject != FundingSubject.STANDARD:
            add("claims_a_participation", False, dict)
            return checks
        add("own_participation", claim.own, dict)
        add(
            "published_in_period",
            claim.date is not None and scheme.period_start <= claim.date <= scheme.period_end,
            lambda: {
                "standard": claim.label,
                "published": _iso(claim.date),
                "start": scheme.period_start.isoformat(),
                "end": scheme.period_end.isoformat(),
            },
        )
        level_ok = claim.level in item.levels and (not item.prefixes or claim.body in item.prefixes)
        add("level", level_ok, lambda: {"standard": claim.label, "level": claim.level})
        if item.work != WorkKind.ANY:
            kind = WorkKind.REVISION if claim.revision else WorkKind.NEW
            add(
                "new_or_revision",
                kind == item.work,
                lambda: {"standard": claim.label, "kind": str(kind), "item": str(item.work)},
            )
        if item.role_class != RoleClass.ANY:
            add(
                "lead_or_participate",
                claim.lead == (item.role_class == RoleClass.LEAD),
                lambda: {
                    "role": claim.role,
                    "lead": "lead" if claim.lead else "participate",
                    "item": str(item.role_class),
                },
            )
    else:
        if claim.subject != FundingSubject.PILOT:
            add("claims_a_pilot", False, dict)
            return checks
        add("own_pilot", claim.own, dict)
        add("pilot_level", claim.level in item.pilot_levels, lambda: {"level": claim.level})
        add(
            "pilot_completed_in_period",
            claim.date is not None and scheme.period_start <= claim.date <= scheme.period_end,
            lambda: {
                "start": scheme.period_start.isoformat(),
                "end": scheme.period_end.isoformat(),
            },
        )
    if claim is not None:
        schemes = holdings.claims.get((claim.subject, claim.subject_id), ())
        add("no_double_claim", scheme.id not in schemes, lambda: {"subject": claim.label})
        if schemes:
            blocking = [
                other
                for other in schemes
                if other != scheme.id and not scheme.stackable and other not in holdings.stackable
            ]
            add("stacking", not blocking, lambda: {"subject": claim.label})
    year = on.year
    if item.yearly_count_cap is not None:
        used = holdings.item_counts.get((item.id, year), 0)
        add(
            "yearly_count",
            used < item.yearly_count_cap,
            lambda: {"year": year, "used": used, "limit": item.yearly_count_cap},
        )
    if item.organization_yearly_count_cap is not None:
        own = holdings.org_item_counts.get((item.id, year), 0)
        add(
            "organization_yearly_count",
            own < item.organization_yearly_count_cap,
            lambda: {"year": year, "used": own, "limit": item.organization_yearly_count_cap},
        )
    left = cap_left(scheme, holdings)
    if left is not None:
        wanted = 1 if amount is None else amount
        add(
            "organization_cap",
            wanted <= left,
            lambda: {"left": left, "cap": scheme.organization_cap},
        )
    return checks


def _candidates(scheme: SchemeRule) -> dict[tuple[str, str], list[ItemRule]]:
    """The scheme's items by (subject, level): the items a claim is judged against."""
    index: dict[tuple[str, str], list[ItemRule]] = {}
    for item in scheme.items:
        levels = item.levels if item.subject == FundingSubject.STANDARD else item.pilot_levels
        for level in levels:
            index.setdefault((item.subject, level), []).append(item)
    return index


class Engine:
    """The schemes prepared once (their items indexed by subject and level), then applied to any
    number of organizations."""

    def __init__(self, schemes: Sequence[SchemeRule]) -> None:
        self.schemes = list(schemes)
        self.index = [(scheme, _candidates(scheme)) for scheme in self.schemes]
        self.stackable = frozenset(s.id for s in self.schemes if s.stackable)

    def options(
        self,
        org: OrgFacts,
        claims: Iterable[ClaimFacts],
        holdings: Holdings,
        on: dt.date,
        *,
        full: bool = False,
    ) -> list[Option]:
        """Every item of every scheme that pays for this kind and level of claim, eligible or
        not; the not eligible ones carry the rules that failed (all rules with `full`)."""
        if not holdings.stackable and self.stackable:
            holdings.stackable = self.stackable
        options: list[Option] = []
        for claim in claims:
            for scheme, index in self.index:
                items = index.get((claim.subject, claim.level))
                if not items:
                    continue
                left = cap_left(scheme, holdings)
                for item in items:
                    checks = claim_checks(
                        org=org,
                        scheme=scheme,
                        item=item,
                        claim=claim,
                        holdings=holdings,
                        on=on,
                        full=full,
                    )
                    amount = item.cap if left is None else min(item.cap, left)
                    held = holdings.evidence.get((item.id, claim.subject, claim.subject_id))
                    missing = (
                        tuple(k for k in item.evidence_required if k not in held)
                        if held
                        else item.evidence_required
                    )
                    options.append(Option(scheme, item, claim, checks, amount, left, missing))
        return options


def options_for(
    org: OrgFacts,
    claims: Iterable[ClaimFacts],
    schemes: Sequence[SchemeRule],
    holdings: Holdings,
    on: dt.date,
    *,
    full: bool = False,
) -> list[Option]:
    """`Engine(schemes).options(...)` for one organization."""
    return Engine(schemes).options(org, claims, holdings, on, full=full)
