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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .choices import LEAD_ROLES, FundingSubject, RoleClass, WorkKind

# The choices as plain strings: compared for every option, and an enum member's lookup costs.
STANDARD, ANY, LEAD = str(FundingSubject.STANDARD), str(WorkKind.ANY), str(RoleClass.LEAD)
NEW, REVISION = str(WorkKind.NEW), str(WorkKind.REVISION)


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
    work: str = ANY
    role_class: str = ANY
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
    period_text: tuple[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        texts = (self.period_start.isoformat(), self.period_end.isoformat())
        object.__setattr__(self, "period_text", texts)


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


def organization_checks(
    org: OrgFacts,
    scheme: SchemeRule,
    on: dt.date,
    *,
    full: bool = True,
) -> list[Check]:
    """The rules on the organization and the day, whatever it claims: the region, the exclusion
    of fully state-funded units, the application window."""
    checks: list[Check] = []
    ok = org.region_code in scheme.region_codes
    if full or not ok:
        params = {"region_zh": scheme.region_zh, "region_en": scheme.region_en}
        checks.append(
            Check("organization_in_region", ok, {**params, "code": org.region_code or "—"})
        )
    if scheme.excludes_state_funded and (full or org.state_funded):
        checks.append(Check("not_state_funded", not org.state_funded, {}))
    if scheme.apply_from is not None or scheme.apply_until is not None:
        ok = (scheme.apply_from is None or scheme.apply_from <= on) and (
            scheme.apply_until is None or on <= scheme.apply_until
        )
        if full or not ok:
            checks.append(
                Check(
                    "application_window",
                    ok,
                    {
                        "day": on.isoformat(),
                        "start": _iso(scheme.apply_from),
                        "end": _iso(scheme.apply_until),
                    },
                )
            )
    return checks


def item_checks(
    *,
    scheme: SchemeRule,
    item: ItemRule,
    claim: ClaimFacts | None,
    holdings: Holdings,
    on: dt.date,
    amount: int | None = None,
    full: bool = True,
    left: int | None | bool = False,
) -> list[Check]:
    """The rules on one claim of one item: what is claimed, the counts and the caps (`left`:
    what the scheme's cap per organization leaves, when the caller has worked it out)."""
    checks: list[Check] = []
    params: dict[str, Any]
    if amount is not None:
        ok = 0 < amount <= item.cap
        if full or not ok:
            checks.append(Check("cap", ok, {"amount": amount, "cap": item.cap}))
    standard = item.subject == STANDARD
    if claim is None or claim.subject != item.subject:
        name = "claims_a_participation" if standard else "claims_a_pilot"
        checks.append(Check(name, False, {}))
        return checks
    if standard:
        if full or not claim.own:
            checks.append(Check("own_participation", claim.own, {}))
        ok = claim.date is not None and scheme.period_start <= claim.date <= scheme.period_end
        if full or not ok:
            checks.append(
                Check(
                    "published_in_period",
                    ok,
                    {
                        "standard": claim.label,
                        "published": _iso(claim.date),
                        "start": scheme.period_text[0],
                        "end": scheme.period_text[1],
                    },
                )
            )
        ok = claim.level in item.levels and (not item.prefixes or claim.body in item.prefixes)
        if full or not ok:
            checks.append(Check("level", ok, {"standard": claim.label, "level": claim.level}))
        if item.work != ANY:
            kind = REVISION if claim.revision else NEW
            ok = kind == item.work
            if full or not ok:
                params = {"standard": claim.label, "kind": kind, "item": str(item.work)}
                checks.append(Check("new_or_revision", ok, params))
        if item.role_class != ANY:
            ok = claim.lead == (item.role_class == LEAD)
            if full or not ok:
                params = {"role": claim.role, "item": str(item.role_class)}
                checks.append(Check("lead_or_participate", ok, params))
    else:
        if full or not claim.own:
            checks.append(Check("own_pilot", claim.own, {}))
        ok = claim.level in item.pilot_levels
        if full or not ok:
            checks.append(Check("pilot_level", ok, {"level": claim.level}))
        ok = claim.date is not None and scheme.period_start <= claim.date <= scheme.period_end
        if full or not ok:
            params = {
                "start": scheme.period_start.isoformat(),
                "end": scheme.period_end.isoformat(),
            }
            checks.append(Check("pilot_completed_in_period", ok, params))
    schemes = holdings.claims.get((claim.subject, claim.subject_id))
    ok = not schemes or scheme.id not in schemes
    if full or not ok:
        checks.append(Check("no_double_claim", ok, {"subject": claim.label}))
    if schemes:
        ok = scheme.stackable or all(
            other == scheme.id or other in holdings.stackable for other in schemes
        )
        if full or not ok:
            checks.append(Check("stacking", ok, {"subject": claim.label}))
    year = on.year
    if item.yearly_count_cap is not None:
        used = holdings.item_counts.get((item.id, year), 0)
        ok = used < item.yearly_count_cap
        if full or not ok:
            params = {"year": year, "used": used, "limit": item.yearly_count_cap}
            checks.append(Check("yearly_count", ok, params))
    if item.organization_yearly_count_cap is not None:
        used = holdings.org_item_counts.get((item.id, year), 0)
        ok = used < item.organization_yearly_count_cap
        if full or not ok:
            params = {"year": year, "used": used, "limit": item.organization_yearly_count_cap}
            checks.append(Check("organization_yearly_count", ok, params))
    if left is False:
        left = cap_left(scheme, holdings)
    if left is not None:
        ok = (1 if amount is None else amount) <= left
        if full or not ok:
            checks.append(
                Check("organization_cap", ok, {"left": left, "cap": scheme.organization_cap})
            )
    return checks


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
    if item_scheme_id is not None:
        ok = item_scheme_id == scheme.id
        if full or not ok:
            checks.append(Check("item_in_scheme", ok, {"scheme": scheme.code}))
    checks += organization_checks(org, scheme, on, full=full)
    checks += item_checks(
        scheme=scheme, item=item, claim=claim, holdings=holdings, on=on, amount=amount, full=full
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
        per_scheme = [
            (
                scheme,
                index,
                organization_checks(org, scheme, on, full=full),
                cap_left(scheme, holdings),
            )
            for scheme, index in self.index
        ]
        for claim in claims:
            for scheme, index, general, left in per_scheme:
                items = index.get((claim.subject, claim.level))
                if not items:
                    continue
                for item in items:
                    checks = general + item_checks(
                        scheme=scheme,
                        item=item,
                        claim=claim,
                        holdings=holdings,
                        on=on,
                        full=full,
                        left=left,
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
