"""The catalog's audit: where the sources disagree or the data cannot be trusted as it is.

`catalog_audit()` reads the catalog and reports, each finding with the sources involved and the
rule that decided (see catalog/status.py for the status rules):

- ``contradiction``: a standard's own source calls it in force, another source records a
  published replacement in force. The status rule decided: a published replacement in force
  wins, so the standard is shown superseded. Shown so that a person can tell the source.
- ``stale_status``: a standard shown current or upcoming although a published replacement in
  force is recorded: its status was not derived again after the replacement arrived (run
  ``stdplus recompute_status``). Needs a person.
- ``cycle``: published standards that replace each other in a ring (A replaces B replaces A).
  No rule can tell which is newer. Needs a person. (A ring through a draft is decided by the
  status rule: drafts replace nothing.)
- ``unknown_target``: a relation to an identifier the catalog does not hold (yet): counted by
  source and relation type, with examples. Expected while sources are partial.
- ``status_disagreement``: two sources describe one standard and disagree on whether it is
  in force (the IEC webstore lists ISO Guide 73:2009 as current, ISO as withdrawn; withdrawn
  against superseded is no disagreement). Decided: the owning
  source's word (the one that created the standard) is kept; the other is shown beside it on
  the standard's page ("Sources").
- ``same_source_duplicate``: one source lists one identifier twice with values that disagree
  (the ISO file has a few at two stages). Decided: the record at the later stage is kept (the
  first, where neither gives a stage); the other is kept with the source's facts.

`stdplus catalog audit` prints it and exits non-zero when a finding needs a person; the staff
page /catalog/audit/ and its JSON twin show the same report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .choices import RelationType, Status
from .models import Relation, SourceFacts, Standard
from .status import UNPUBLISHED

EXAMPLES = 50  # findings listed per rule; the counts are always whole

RULES = {
    "contradiction": _(
        "Its own source says it is in force; another source records a published replacement "
        "in force. Decided: the replacement wins, the standard is shown superseded."
    ),
    "stale_status": _(
        "Shown in force although a published replacement in force is recorded: its status "
        "was not derived again. Run stdplus recompute_status."
    ),
    "cycle": _(
        "These published standards replace each other in a ring; no rule can tell which is newer."
    ),
    "unknown_target": _(
        "Relations to identifiers the catalog does not hold; they resolve when the target is "
        "imported."
    ),
    "status_disagreement": _(
        "Two sources describe this standard and give it different statuses. Decided: the "
        "status of the source that created it is kept, the other is shown beside it."
    ),
    "same_source_duplicate": _(
        "One source lists this identifier twice with values that disagree. Decided: the "
        "record at the later stage (or the first) is kept, the other is kept beside it."
    ),
}
NEEDS_PERSON = {"stale_status", "cycle"}


@dataclass
class Finding:
    rule: str
    identifiers: list[str]
    sources: list[str]
    detail: str = ""


@dataclass
class AuditReport:
    day: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    unknown_targets: dict[str, int] = field(default_factory=dict)  # "source relation-type" -> n

    @property
    def needs_person(self) -> bool:
        return any(self.counts.get(rule) for rule in NEEDS_PERSON)

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "needs_person": self.needs_person,
            "rules": {
                rule: {
                    "explanation": str(RULES[rule]),
                    "needs_person": rule in NEEDS_PERSON,
                    "count": self.counts.get(rule, 0),
                    "examples": [asdict(f) for f in self.findings.get(rule, [])],
                }
                for rule in RULES
            },
            "unknown_targets_by_source": self.unknown_targets,
        }


def _in_force_replacements(day: dt.date):
    """Replacement relations whose replacing end is published and in force on the day, and is
    not a supplement replacing a standard (catalog/status.py: such never supersede)."""
    return (
        Relation.objects.filter(
            type=RelationType.REPLACES, from_standard__isnull=False, to_standard__isnull=False
        )
        .exclude(from_standard__base_status__in=UNPUBLISHED)
        .filter(
            Q(from_standard__effective__lte=day)
            | Q(from_standard__effective__isnull=True, from_standard__published__lte=day)
            | Q(from_standard__effective__isnull=True, from_standard__published__isnull=True)
        )
        .exclude(from_standard__is_supplement=True, to_standard__is_supplement=False)
    )


def _cycles() -> list[list[str]]:
    """Rings of replacement among published standards, each once, smallest key first.

    A ring through a draft or a cancelled project is decided by the status rule (those never
    replace anything), so only published documents are followed."""
    graph: dict[str, set[str]] = defaultdict(set)
    for from_key, to_key in (
        Relation.objects.filter(
            type=RelationType.REPLACES, from_standard__isnull=False, to_standard__isnull=False
        )
        .exclude(from_standard__base_status__in=UNPUBLISHED)
        .exclude(to_standard__base_status__in=UNPUBLISHED)
        .exclude(from_standard__is_supplement=True, to_standard__is_supplement=False)
        .values_list("from_key", "to_key")
    ):
        graph[from_key].add(to_key)
    found: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph):
        if state.get(start):
            continue
        path: list[str] = []
        stack = [(start, iter(sorted(graph[start])))]
        state[start] = 1
        path.append(start)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if state.get(child) == 1:
                ring = path[path.index(child) :]
                low = ring.index(min(ring))
                found.add(tuple(ring[low:] + ring[:low]))
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return [list(ring) for ring in sorted(found)]


def _gather(report, rule, rows, examples: int, *, other_sources_only: bool, say: str) -> None:
    """One finding per replaced standard, naming every replacing one and every source; rows
    are (replaced key, its source, its status, replacing key, the relation's source)."""
    found: dict[str, Finding] = {}
    for to_key, to_source, status, from_key, rel_source in rows:
        if other_sources_only and rel_source == to_source:
            continue  # the standard's own source says it is replaced: no disagreement
        finding = found.setdefault(
            to_key, Finding(rule, [to_key], [to_source], say.format(source=to_source, s=status))
        )
        finding.identifiers.append(from_key)
        if rel_source not in finding.sources:
            finding.sources.append(rel_source)
    report.counts[rule] = len(found)
    report.findings[rule] = [found[key] for key in sorted(found)][:examples]


def catalog_audit(day: dt.date, *, examples: int = EXAMPLES) -> AuditReport:
    report = AuditReport(day=day)
    replacements = _in_force_replacements(day)

    in_force = [Status.CURRENT, Status.UPCOMING]
    # Its own source says in force (base status), another source records the replacement.
    rows = replacements.filter(to_standard__base_status__in=in_force).values_list(
        "to_key", "to_standard__source", "to_standard__base_status", "from_key", "source"
    )
    _gather(report, "contradiction", rows, examples, other_sources_only=True, say="{source}: {s}")
    # Shown in force (derived status) although the replacement is recorded.
    rows = replacements.filter(to_standard__status__in=in_force).values_list(
        "to_key", "to_standard__source", "to_standard__status", "from_key", "source"
    )
    _gather(report, "stale_status", rows, examples, other_sources_only=False, say="shown {s}")

    rings = _cycles()
    sources_of = dict(
        Standard.objects.filter(canonical__in={k for ring in rings for k in ring}).values_list(
            "canonical", "source"
        )
    )
    report.counts["cycle"] = len(rings)
    report.findings["cycle"] = [
        Finding("cycle", ring, sorted({sources_of.get(k, "?") for k in ring}), " → ".join(ring))
        for ring in rings[:examples]
    ]

    unknown = Relation.objects.filter(to_standard__isnull=True)
    by_source: Counter[str] = Counter()
    for source, kind, n in unknown.values_list("source", "type").order_by().annotate(n=Count("id")):
        by_source[f"{source} {kind}"] += n
    report.unknown_targets = dict(sorted(by_source.items()))
    report.counts["unknown_target"] = sum(by_source.values())
    report.findings["unknown_target"] = [
        Finding("unknown_target", [from_key, to_key], [source], kind)
        for from_key, kind, to_key, source in unknown.filter(type=RelationType.REPLACES)
        .order_by("to_key")
        .values_list("from_key", "type", "to_key", "source")[:examples]
    ]
    _disagreements(report, examples)
    return report


_STANDING = {
    Status.CURRENT: "in force",
    Status.UPCOMING: "in force",
    Status.SUPERSEDED: "not in force",
    Status.WITHDRAWN: "not in force",
}


def _disagreements(report: AuditReport, examples: int) -> None:
    """What the sources' own facts say against each other (catalog/rules/sources.py)."""
    by_standard: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    owners: dict[str, str] = {}
    duplicates: list[Finding] = []
    for key, owner, source, status, said, aside in (
        SourceFacts.objects.order_by("standard__canonical", "source")
        .values_list(
            "standard__canonical",
            "standard__source",
            "source",
            "facts__base_status",
            "facts__source_status",
            "set_aside",
        )
        .iterator(chunk_size=2000)
    ):
        owners[key] = owner
        by_standard[key].append((source, status or "", said or ""))
        for entry in aside or []:
            values = ", ".join(f"{k}={v}" for k, v in sorted(entry.get("values", {}).items()))
            duplicates.append(
                Finding(
                    "same_source_duplicate",
                    [key],
                    [source],
                    f"{source} row {entry.get('row')} ({entry.get('identifier')}) set aside: "
                    f"{values}",
                )
            )
    found = []
    for key, said in by_standard.items():
        # Withdrawn and superseded both say "no longer in force": only a different answer to
        # "is it in force, replaced, or not published" is a disagreement.
        if len({_STANDING.get(status, status) for _source, status, _raw in said if status}) < 2:
            continue
        owner = owners[key]
        said.sort(key=lambda item: (item[0] != owner, item[0]))
        found.append(
            Finding(
                "status_disagreement",
                [key],
                [source for source, _status, _raw in said],
                "; ".join(
                    f"{source}: {status}" + (f" ({raw})" if raw else "")
                    for source, status, raw in said
                )
                + f"; kept: {owner}",
            )
        )
    report.counts["status_disagreement"] = len(found)
    report.findings["status_disagreement"] = found[:examples]
    report.counts["same_source_duplicate"] = len(duplicates)
    report.findings["same_source_duplicate"] = duplicates[:examples]


def catalog_audit_cached(day: dt.date) -> AuditReport:
    """The report for pages and the API, counted once per version of the catalog and day."""
    from django.core.cache import cache

    from .services.state import generation_read

    key = f"catalog:audit:{generation_read()}:{day.isoformat()}"
    return cache.get_or_set(key, lambda: catalog_audit(day), 24 * 3600)
