"""Benchmark the funding eligibility engine over 100,000 organizations.

Run (after `stdplus migrate`, which seeds the schemes and their rules):
    .venv/bin/python bench/bench_eligibility.py [--organizations 100000] [--rounds 3]

The rules are the database's (every live scheme and item, as `scheme_rules()` reads them: the
Shenzhen 2024 example with its group-standard counts and cap per organization, and the Futian
scheme that stacks on it). The organizations' facts are generated, seeded: each holds 0 to 8
participations (levels international, national, industry, local, group; 40% lead; published
2019 to 2025; 30% revisions), 10% host a pilot, 5% are fully state-funded units, 10% are outside
Shenzhen, and 20% already hold claims and amounts (some at the cap per organization, some at
the yearly count). "engine" is `Engine.options` for every organization (what the claims page and
API compute for one); "engine, every rule kept" keeps the rules that passed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time

import django

LEVELS = ["international", "national", "national", "industry", "industry", "local", "group"]
REGIONS = ["440304", "440305", "440306", "440307", "440303", "440100"]


def organizations(count: int, rng: random.Random, schemes):
    from stdplus.programme.eligibility import ClaimFacts, Holdings, OrgFacts

    items = [(scheme, item) for scheme in schemes for item in scheme.items]
    stackable = frozenset(s.id for s in schemes if s.stackable)
    ref = 0
    out = []
    for number in range(1, count + 1):
        region = REGIONS[rng.randrange(len(REGIONS) - 1)] if rng.random() < 0.9 else "440100"
        org = OrgFacts(number, region, rng.random() < 0.05)
        claims = []
        for _ in range(rng.randint(0, 8)):
            ref += 1
            level = rng.choice(LEVELS)
            claims.append(
                ClaimFacts(
                    subject="standard",
                    ref_id=ref,
                    subject_id=ref,
                    label=f"STD {ref}",
                    level=level,
                    date=dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(7 * 365)),
                    body="DB4403" if level == "local" and rng.random() < 0.7 else "DB44",
                    revision=rng.random() < 0.3,
                    role="lead" if rng.random() < 0.4 else "drafter",
                    lead=rng.random() < 0.4,
                )
            )
        if rng.random() < 0.1:
            ref += 1
            claims.append(
                ClaimFacts(
                    subject="pilot",
                    ref_id=ref,
                    subject_id=ref,
                    label=f"pilot {ref}",
                    level=rng.choice(["national", "provincial", "municipal"]),
                    date=dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365)),
                )
            )
        holdings = Holdings(stackable=stackable)
        if claims and rng.random() < 0.2:
            scheme, item = rng.choice(items)
            holdings.scheme_amounts[scheme.id] = rng.choice([100_000, 900_000, 5_000_000])
            holdings.org_item_counts[(item.id, 2025)] = rng.randint(1, 5)
            holdings.item_counts[(item.id, 2025)] = rng.randint(10, 30)
            taken = rng.choice(claims)
            holdings.claims[(taken.subject, taken.subject_id)] = {scheme.id}
            holdings.evidence[(item.id, taken.subject, taken.subject_id)] = frozenset(
                item.evidence_required[:1]
            )
        out.append((org, claims, holdings))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    django.setup()
    from stdplus.programme.eligibility import Engine
    from stdplus.programme.funding_facts import scheme_rules

    schemes = scheme_rules()
    if not schemes:
        print("No funding schemes: run `stdplus migrate` first.", file=sys.stderr)
        return 1
    rng = random.Random(16)
    started = time.perf_counter()
    data = organizations(args.organizations, rng, schemes)
    made = time.perf_counter() - started
    claims = sum(len(c) for _, c, _ in data)
    print(
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
        f"{len(schemes)} schemes, {sum(len(s.items) for s in schemes)} items; "
        f"{len(data):,} organizations, {claims:,} claims (facts generated in {made:.1f} s)"
    )
    on = dt.date(2025, 2, 1)
    for label, full in (("engine", False), ("engine, every rule kept", True)):
        times = []
        for _ in range(args.rounds):
            engine = Engine(schemes)
            started = time.perf_counter()
            options = eligible = 0
            for org, org_claims, holdings in data:
                for option in engine.options(org, org_claims, holdings, on, full=full):
                    options += 1
                    eligible += option.eligible
            times.append(time.perf_counter() - started)
        best, worst = min(times), max(times)
        print(
            f"{label}: {options:,} options ({eligible:,} eligible); best {best:.2f} s, "
            f"worst {worst:.2f} s over {args.rounds} rounds "
            f"({best / len(data) * 1e6:.1f} µs per organization)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
