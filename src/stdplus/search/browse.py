"""Browsing aggregates: the ICS and CCS trees with counts, and the issuing bodies.

Counted over the whole catalog and cached until the search index changes (its generation
counter moves on every catalog write), so a busy page does not count a million rows each time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import Count

from stdplus.catalog.choices import Scheme
from stdplus.catalog.models import DEMO_SOURCE, Classification, Standard
from stdplus.catalog.visibility import demo_shown, hide_demo

from .indexing import generation

# The length of a node's code at each depth: ICS 03 / 03.120 / 03.120.10, CCS B / B32 (CCS
# groups such as B30/39 name a range of classes and are counted by `_range_counts`).
CODE_LENGTHS = {Scheme.ICS: (2, 6, 9), Scheme.CCS: (1, 3)}
CACHE_SECONDS = 24 * 3600


@dataclass
class ClassNode:
    scheme: str
    code: str
    title_en: str
    title_zh: str
    depth: int
    count: int = 0
    has_children: bool = False

    def title(self, language: str) -> str:
        if language.startswith("zh"):
            return self.title_zh or self.title_en
        return self.title_en or self.title_zh


@dataclass
class ClassBranch:
    """One node (None: the root), its ancestors from the top, and its children."""

    scheme: str
    node: ClassNode | None
    path: list[ClassNode] = field(default_factory=list)
    children: list[ClassNode] = field(default_factory=list)


def class_counts(scheme: str) -> dict[str, int]:
    """Standards in each node of a scheme and below it (each standard counted once per node)."""
    shown = demo_shown()
    key = f"browse:class-counts:{scheme}:{generation()}:{int(shown)}"
    counts = cache.get(key)
    if counts is None:
        counts = {}
        table = Standard.classifications.through._meta.db_table
        # Demo entries (catalog.visibility) count only when they are shown.
        hidden = "" if shown else " AND s.source <> %s"
        sql = (
            f"SELECT substr(c.code, 1, %s) AS node, COUNT(DISTINCT t.standard_id) "
            f"FROM {table} t JOIN catalog_classification c ON c.id = t.classification_id "
            f"JOIN catalog_standard s ON s.id = t.standard_id "
            f"WHERE c.scheme = %s AND length(c.code) >= %s{hidden} GROUP BY substr(c.code, 1, %s)"
        )
        with connection.cursor() as cursor:
            for length in CODE_LENGTHS[scheme]:
                extra = [] if shown else [DEMO_SOURCE]
                cursor.execute(sql, [length, scheme, length, *extra, length])
                counts.update(dict(cursor.fetchall()))
        counts.update(_range_counts(scheme))
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def _range(code: str) -> tuple[str, int, int] | None:
    """A CCS group names a range of classes: A00/09 is A00 to A09 (None for any other code)."""
    letter, _, high = code.partition("/")
    if not high or len(letter) != 3 or not letter[1:].isdigit() or not high.isdigit():
        return None
    return letter[0], int(letter[1:]), int(high)


def _range_counts(scheme: str) -> dict[str, int]:
    """Standards under each group that names a range of classes (CCS A00/09), counted once."""
    groups = {
        code: found
        for code in Classification.objects.filter(scheme=scheme, code__contains="/").values_list(
            "code", flat=True
        )
        if (found := _range(code))
    }
    if not groups:
        return {}
    through = Standard.classifications.through
    members: dict[str, set[int]] = {code: set() for code in groups}
    pairs = hide_demo(
        through.objects.filter(classification__scheme=scheme), "standard__source"
    ).values_list("standard_id", "classification__code")
    for standard_id, class_code in pairs.iterator():
        if len(class_code) < 3 or not class_code[1:3].isdigit():
            continue
        number = int(class_code[1:3])
        for code, (letter, low, high) in groups.items():
            if class_code[0] == letter and low <= number <= high:
                members[code].add(standard_id)
    return {code: len(ids) for code, ids in members.items() if ids}


def _node(row: Classification, counts: dict[str, int], parents: set[int]) -> ClassNode:
    return ClassNode(
        scheme=row.scheme,
        code=row.code,
        title_en=row.title_en,
        title_zh=row.title_zh,
        depth=row.depth,
        count=counts.get(row.code, 0),
        has_children=row.pk in parents,
    )


def class_branch(scheme: str, code: str | None = None) -> ClassBranch | None:
    """A node with its path and children (None when the code is not in the scheme)."""
    if scheme not in CODE_LENGTHS:
        return None
    counts = class_counts(scheme)
    node_row = None
    if code:
        node_row = (
            Classification.objects.filter(scheme=scheme, code=code)
            .select_related("parent__parent__parent")
            .first()
        )
        if node_row is None:
            return None
    children = list(
        Classification.objects.filter(scheme=scheme, parent=node_row).order_by("code")
        if node_row
        else Classification.objects.filter(scheme=scheme, parent__isnull=True).order_by("code")
    )
    parents = set(
        Classification.objects.filter(parent__in=children)
        .values_list("parent_id", flat=True)
        .distinct()
    )
    path: list[ClassNode] = []
    ancestor = node_row.parent if node_row is not None else None
    while ancestor is not None:  # up the tree by its parents (CCS groups are not code prefixes)
        path.insert(0, _node(ancestor, counts, {ancestor.pk}))
        ancestor = ancestor.parent
    return ClassBranch(
        scheme=scheme,
        node=_node(node_row, counts, {node_row.pk} if children else set()) if node_row else None,
        path=path,
        children=[_node(child, counts, parents) for child in children],
    )


@dataclass
class BodyCount:
    body: str
    level: str
    count: int
    current: int


def body_counts() -> list[BodyCount]:
    """Every issuing body with its standards (and those in force), most standards first."""
    key = f"browse:bodies:{generation()}:{int(demo_shown())}"
    found = cache.get(key)
    if found is None:
        per: dict[str, BodyCount] = {}
        rows = (
            Standard.objects.public()
            .values_list("body", "level", "status")
            .order_by()
            .annotate(n=Count("id"))
        )
        levels: dict[str, dict[str, int]] = {}
        for body, level, status, n in rows:
            item = per.setdefault(body, BodyCount(body, level, 0, 0))
            item.count += n
            if status == "current":
                item.current += n
            levels.setdefault(body, {}).setdefault(level, 0)
            levels[body][level] += n
        for body, item in per.items():
            item.level = max(levels[body].items(), key=lambda kv: kv[1])[0]
        found = sorted(per.values(), key=lambda b: (-b.count, b.body))
        cache.set(key, found, CACHE_SECONDS)
    return found
