"""Programme reads: the region tree, the registry, public profiles, the review queue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from django.apps import apps
from django.db import connection
from django.db.models import Count, Prefetch, Q

from stdplus.accounts.models import Membership, Organization
from stdplus.core.models import ImmutableModel

from .choices import MatchState, PilotState, ProjectState
from .models import (
    AreaProject,
    Expert,
    FundingApplication,
    MatchCandidate,
    Participation,
    Pilot,
    Position,
    PriorityArea,
    Region,
    StandardsBody,
)

MAX_ID = 2**63 - 1  # a larger id in a URL is simply not found (never a database overflow)


def region_get(code: str) -> Region | None:
    """A region by its code (440300), short code (4403) or, failing those, its name."""
    code = (code or "").strip()
    if not code:
        return None
    return (
        Region.objects.filter(code=code).first()
        or Region.objects.filter(short_code=code).first()
        or Region.objects.filter(Q(name_zh=code) | Q(name_en__iexact=code)).first()
    )


def region_descendants(region: Region):
    return Region.objects.filter(path__startswith=region.path)


# Within `regions_kept()`: what was read of the tree, by (what, node path).
_kept: ContextVar[dict | None] = ContextVar("regions_kept", default=None)


@contextmanager
def regions_kept() -> Iterator[None]:
    """Within the block, each node's codes and prefixes are read from the tree once: a
    dashboard counts a score of figures for one node and its children, each asking again. A
    block is one piece of work (one page's figures), so a reload of the tree is seen by the
    next one, in every worker. A block within a block (a report's figures, counted through
    the statistics' cache) reads what the outer one read."""
    if _kept.get() is not None:
        yield
        return
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def _tree_read(what: str, region: Region, read):
    kept = _kept.get()
    if kept is None:
        return read()
    key = (what, region.path)
    if key not in kept:
        kept[key] = read()
    return kept[key]


def region_codes(region: Region) -> frozenset[str]:
    """Every code organizations of this node may carry: the node's and all its descendants'.

    Read from the database each time (one query on a small table), or once per block of
    `regions_kept()`: a cache in each process would hide a reload of the tree
    (`regions_load`) from the other running workers. Pages that must be fast cache their
    results on `register_version()`, which includes the tree."""

    def read() -> frozenset[str]:
        codes: set[str] = set()
        for code, short in Region.objects.filter(path__startswith=region.path).values_list(
            "code", "short_code"
        ):
            codes.add(code)
            if short:
                codes.add(short)
        return frozenset(codes)

    return _tree_read("codes", region, read)


def region_local_prefixes(region: Region) -> list[str]:
    """The local standard prefixes (DB44, DB4403, ...) of this node and all its descendants,
    read like `region_codes` (no per-process cache)."""

    def read() -> list[str]:
        prefixes: set[str] = set()
        for values in Region.objects.filter(path__startswith=region.path).values_list(
            "local_prefixes", flat=True
        ):
            prefixes.update(values or [])
        return sorted(prefixes)

    return list(_tree_read("prefixes", region, read))


def register_version() -> str:
    """A value that changes with every committed change to what the register's figures read.

    Every change to a programme record leaves a row in an append-only table (`AuditEvent` for
    records, a lifecycle's event table for a step), so the largest ids of those tables move
    with every change; organizations (in `accounts`) carry `updated_at`; the region tree is
    summed up by the database (see `_register_version_sql`). Stored in the database, so every
    process reads the same value: a cache keyed on it shows a change at once in every worker."""
    with connection.cursor() as cursor:
        cursor.execute(_register_version_sql(connection.vendor))
        return ".".join(str(value or 0) for value in cursor.fetchone())


@lru_cache(maxsize=4)
def _register_version_sql(vendor: str) -> str:
    """One statement, built once per process (the tables are the code's, not the data's).

    The tree (3,400 rows) is summed up rather than read: its rows, its last id, and a sum over
    every row of its id times the lengths of what the figures read. An added, removed or
    re-parented node, or a changed name, path or prefix list of another length moves it;
    `programme load-reference` also writes an audit line, which moves the journals' part."""
    quote = connection.ops.quote_name
    journals = sorted(
        model._meta.db_table
        for model in apps.get_app_config("programme").get_models()
        if issubclass(model, ImmutableModel)
    )
    organizations = quote(Organization._meta.db_table)
    prefixes = quote("local_prefixes") + ("::text" if vendor == "postgresql" else "")
    lengths = " + ".join(
        f"{weight} * LENGTH({column})"
        for weight, column in [
            (1, quote("code")),
            (3, quote("short_code")),
            (5, quote("path")),
            (7, prefixes),
            (11, quote("name_zh")),
            (13, quote("name_en")),
            (17, quote("level")),
        ]
    )
    regions = quote(Region._meta.db_table)
    row_id, parent = quote("id"), quote("parent_id")
    scalars = [f"(SELECT MAX({row_id}) FROM {quote(table)})" for table in journals] + [
        f"(SELECT COUNT(*) FROM {organizations})",
        f"(SELECT MAX({quote('updated_at')}) FROM {organizations})",
        f"(SELECT COUNT(*) FROM {regions})",
        f"(SELECT MAX({row_id}) FROM {regions})",
        f"(SELECT SUM({row_id} * ({lengths} + 19 * COALESCE({parent}, 0))) FROM {regions})",
    ]
    return f"SELECT {', '.join(scalars)}"


def region_children(region: Region) -> list[Region]:
    return list(region.children.order_by("code"))


def region_ancestors(region: Region) -> list[Region]:
    codes = [part for part in region.path.strip("/").split("/") if part]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[c] for c in codes if c in by_code]


def region_tree(around: Region | None = None) -> list[Region]:
    """The whole tree (3,400 nodes); or, `around` a chosen node, what a region picker shows:
    the country, its provinces, and the children of the node and of each of its ancestors."""
    if around is None:
        return list(Region.objects.order_by("path"))
    parents = [part for part in around.path.strip("/").split("/") if part]
    return list(
        Region.objects.filter(
            Q(parent__isnull=True) | Q(parent__parent__isnull=True) | Q(parent__code__in=parents)
        ).order_by("path")
    )


def region_of(region_code: str) -> Region | None:
    if not region_code:
        return None
    return Region.objects.filter(Q(code=region_code) | Q(short_code=region_code)).first()


def organization_public_get(pk: int) -> Organization | None:
    return (
        Organization.objects.filter(pk=pk)
        .exclude(programme_profile__archived_at__isnull=False)
        .select_related("programme_profile")
        .first()
    )


def organization_list(*, region: Region | None = None, q: str = ""):
    queryset = Organization.objects.exclude(programme_profile__archived_at__isnull=False)
    if region is not None:
        queryset = queryset.filter(region_code__in=region_codes(region))
    if q:
        queryset = queryset.filter(Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    return queryset.select_related("programme_profile").order_by("name_zh", "name_en")


def expert_list(*, region: Region | None = None, q: str = ""):
    live_positions = Position.objects.live().order_by("-term_start")
    queryset = (
        Expert.objects.live()
        .select_related("organization")
        .prefetch_related(Prefetch("positions", queryset=live_positions, to_attr="live_positions"))
    )
    if region is not None:
        queryset = queryset.filter(organization__region_code__in=region_codes(region))
    if q:
        queryset = queryset.filter(Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    return queryset


def expert_public_get(pk: int) -> Expert | None:
    return expert_list().filter(pk=pk).first()


def participation_list(*, organization: Organization | None = None):
    queryset = Participation.objects.live().select_related("organization", "standard")
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    return queryset.order_by("-standard__published", "-id")


def body_list(*, organization: Organization | None = None):
    queryset = StandardsBody.objects.live().select_related("host")
    if organization is not None:
        queryset = queryset.filter(host=organization)
    return queryset


def pilot_list(*, organization: Organization | None = None):
    queryset = Pilot.objects.live().select_related("host")
    if organization is not None:
        queryset = queryset.filter(host=organization)
    return queryset


def pilot_get(pk: int) -> Pilot | None:
    if not 0 < pk <= MAX_ID:
        return None
    return (
        Pilot.objects.live()
        .select_related("host")
        .prefetch_related("tasks", "standard_links__standard")
        .filter(pk=pk)
        .first()
    )


def review_queue(*, state: str = MatchState.PENDING):
    return MatchCandidate.objects.filter(state=state).select_related("standard", "organization")


def review_get(pk: int) -> MatchCandidate | None:
    if not 0 < pk <= MAX_ID:
        return None
    return (
        MatchCandidate.objects.select_related("standard", "organization", "decided_by")
        .filter(pk=pk)
        .first()
    )


def project_get(pk: int) -> AreaProject | None:
    return AreaProject.objects.live().select_related("area", "organization").filter(pk=pk).first()


def applications_visible_to(user, organization_ids: list[int] | None = None):
    """The regulator sees every application; an organization's members see its own (only
    those of `organization_ids` when given: a token reads its own organization's only)."""
    from .permissions import can_keep_register

    queryset = FundingApplication.objects.live().select_related(
        "organization", "item_type", "scheme", "participation__standard", "pilot"
    )
    if can_keep_register(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    own = Membership.objects.filter(user=user).values("organization_id")
    if organization_ids is not None:
        own = own.filter(organization_id__in=organization_ids)
    return queryset.filter(organization_id__in=own)


def application_visible_get(
    user, pk: int, organization_ids: list[int] | None = None
) -> FundingApplication | None:
    if not 0 < pk <= MAX_ID:
        return None
    return applications_visible_to(user, organization_ids).filter(pk=pk).first()


def area_list():
    """Priority areas with their progress against targets, counted in the same query, and
    their live projects."""
    projects = AreaProject.objects.live().order_by("id")
    return (
        PriorityArea.objects.live()
        .select_related("region")
        .prefetch_related(Prefetch("projects", queryset=projects, to_attr="live_projects"))
        .annotate(
            standards_done=Count(
                "standards", filter=Q(standards__published__isnull=False), distinct=True
            ),
            pilots_done=Count(
                "pilots", filter=Q(pilots__state=PilotState.COMPLETED), distinct=True
            ),
            projects_done=Count(
                "projects",
                filter=Q(projects__state=ProjectState.DONE, projects__archived_at__isnull=True),
                distinct=True,
            ),
        )
    )
