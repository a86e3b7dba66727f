"""Querysets compiled to SQL once and run many times: for the hottest reads only.

Django compiles a queryset to SQL on every evaluation; for a query over a 37-column table
that costs 0.2-0.4 ms, ten times what SQLite takes to answer it from its index. A page that
runs a few such queries per request (a standard's detail) spends most of its time compiling.

`Prepared(build)` calls `build` once per database connection and shape of arguments with
marker values, compiles the queryset with Django's own compiler, notes where the markers went
in the parameters, and from then on runs that SQL with the real values, turning rows into
model instances with the same converters and `Model.from_db` that the ORM uses. Only plain
querysets of one model qualify (no select_related, annotations or values()); anything else
is refused when the plan is made, so a query cannot silently come back different.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

_INT_MARKER = -7_300_000_000_000  # far from any id; one per argument value
_MOST_PLANS = 512  # per connection: list arguments of many lengths make many plans


@dataclass
class _Plan:
    model: Any  # a Model class
    sql: str | None  # None: the queryset can match nothing (an empty IN list)
    params: tuple
    positions: list[int]
    fields: list[str]
    compiler: Any
    converters: dict


def _marker(index: int, example: Any) -> Any:
    if isinstance(example, bool) or not isinstance(example, (int, str)):
        raise TypeError(f"Prepared takes str and int values, not {type(example).__name__}")
    return _INT_MARKER - index if isinstance(example, int) else f"\x1fprepared-{index}\x1f"


class Prepared:
    """`Prepared(lambda key: Model.objects.filter(field=key))(value)` -> list of instances.

    An argument may be a list (for `__in`); each length is planned once.
    """

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._plans: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, *args: Any, using: str = DEFAULT_DB_ALIAS) -> list:
        connection = connections[using]
        flat: list = []
        shape: list = []
        for arg in args:
            if isinstance(arg, (list, tuple)):
                shape.append(tuple(type(v) for v in arg))
                flat.extend(arg)
            else:
                shape.append(type(arg))
                flat.append(arg)
        key = tuple(shape)
        plans = self._plans.get(connection)
        plan = plans.get(key) if plans is not None else None
        if plan is None:
            plan = self._plan(args, using)
            with self._lock:
                plans = self._plans.setdefault(connection, {})
                if len(plans) >= _MOST_PLANS:
                    plans.clear()
                plans[key] = plan
        if plan.sql is None:
            return []
        params = list(plan.params)
        for position, value in zip(plan.positions, flat, strict=True):
            params[position] = value
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows: Any = cursor.fetchall()
        if plan.converters:
            rows = plan.compiler.apply_converters(rows, plan.converters)
        return [plan.model.from_db(using, plan.fields, row) for row in rows]

    def _plan(self, args: Sequence[Any], using: str) -> _Plan:
        counter = itertools.count()
        markers: list = []
        marked_args: list = []
        for arg in args:
            if isinstance(arg, (list, tuple)):
                group = [_marker(next(counter), v) for v in arg]
                markers.extend(group)
                marked_args.append(group)
            else:
                one = _marker(next(counter), arg)
                markers.append(one)
                marked_args.append(one)
        queryset = self.build(*marked_args)
        model = queryset.model
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Plan(model, None, (), [], [], compiler, {})
        if compiler.klass_info is None or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("Prepared takes plain querysets of one model (no select_related)")
        if compiler.annotation_col_map:
            raise ValueError("Prepared takes plain querysets of one model (no annotations)")
        positions = []
        for marker in markers:
            found = [i for i, p in enumerate(params) if p == marker and type(p) is type(marker)]
            if len(found) != 1:
                raise ValueError(f"an argument of {self.build!r} does not reach the SQL as given")
            positions.append(found[0])
        columns = [expression for expression, _sql, _alias in compiler.select]
        fields = [column.target.attname for column in columns]
        concrete = [f.attname for f in model._meta.concrete_fields]
        if fields != [name for name in concrete if name in fields]:
            raise ValueError("Prepared takes plain querysets of one model's own fields")
        return _Plan(
            model=model,
            sql=sql,
            params=tuple(params),
            positions=positions,
            fields=fields,
            compiler=compiler,
            converters=compiler.get_converters(columns),
        )
