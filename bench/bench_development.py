"""Benchmark standards development at scale: a draft's public comment page and the
disposition table.

Builds (once) a database with 10,000 development projects (group and local, each with a draft
of 20 clauses) and 1,000,000 confirmed public comments: one draft holds 5,000 of them, the rest
are spread over the other drafts (about 100 each). Then times:

- the public comment page of a draft (GET /development/<id>/drafts/1/, the full HTML: clauses,
  the first page of 100 comments, the comment form), for drafts drawn at random: median, p95;
- the same page for the draft with 5,000 comments;
- the comment summary and disposition table (XLSX, then PDF) of the draft with 5,000 comments:
  the PDF printed by Chromium (what the print job does), then as the site makes it: asked for
  at the review's start, printed by the job, and the download of the stored print.

Run: `.venv/bin/python bench/bench_development.py` (SQLite file var/bench_development.sqlite3),
or with `DATABASE_URL=postgres://...`. `--rebuild` starts from an empty database;
`--projects` and `--comments` scale it down (say so when reporting figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="delete the benchmark database first"
    )
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--big", type=int, default=5_000, help="comments on the largest draft")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument(
        "--pdf-runs", type=int, default=3, help="times the table is printed as PDF (0: none)"
    )
    args = parser.parse_args()

    database = REPO / "var" / "bench_development.sqlite3"
    if not os.environ.get("DATABASE_URL"):
        database.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild and database.exists():
            database.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    os.environ.setdefault("STDPLUS_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    import logging

    logging.getLogger("stdplus.access").setLevel(logging.WARNING)  # no line per request
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from stdplus.accounts.models import Organization
    from stdplus.core.bulk import insert_rows
    from stdplus.development.models import Clause, Comment, DraftVersion, Project
    from stdplus.development.sheets import disposition_table

    settings.STDPLUS_RATES = {}
    call_command("migrate", verbosity=0)
    today = dt.date.today()
    if not Project.objects.exists():
        started = time.perf_counter()
        rng = random.Random(14)
        with transaction.atomic():
            first = (
                Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            ) + 1
            insert_rows(
                Organization,
                ["name_zh", "name_en", "kind", "region_code", "is_active"],
                [
                    (f"基准协会{n}", f"Bench association {n}", "association", "440300", True)
                    for n in range(200)
                ],
            )
            owners = list(Organization.objects.filter(pk__gte=first).values_list("pk", flat=True))
            now = dt.datetime.now(dt.UTC)
            insert_rows(
                Project,
                [
                    "kind",
                    "nature",
                    "title_zh",
                    "title_en",
                    "scope",
                    "owner_id",
                    "proposer_name",
                    "state",
                    "state_since",
                    "plan_number",
                    "comment_opens",
                    "comment_closes",
                    "pass_rule",
                    "number",
                    "filing_number",
                    "demo",
                    "created_at",
                    "updated_at",
                ],
                [
                    (
                        "group" if n % 3 else "local",
                        "new",
                        f"基准标准{n}",
                        f"Bench standard {n}",
                        "",
                        owners[n % len(owners)],
                        "bench",
                        "comment",
                        today,
                        f"B-{n}",
                        today - dt.timedelta(5),
                        today + dt.timedelta(25),
                        "three_quarters_present",
                        "",
                        "",
                        True,
                        now,
                        now,
                    )
                    for n in range(args.projects)
                ],
            )
            projects = list(Project.objects.order_by("pk").values_list("pk", flat=True))
            insert_rows(
                DraftVersion,
                [
                    "project_id",
                    "version",
                    "label",
                    "file_name",
                    "file_type",
                    "sha256",
                    "created_at",
                ],
                [(pk, 1, "", "", "", "", now) for pk in projects],
            )
            drafts = dict(DraftVersion.objects.values_list("project_id", "pk"))
            insert_rows(
                Clause,
                ["draft_id", "ref", "order", "heading", "text"],
                [
                    (
                        drafts[pk],
                        str(c),
                        c,
                        f"Clause {c}",
                        "The requirement text of the clause. " * 4,
                    )
                    for pk in projects
                    for c in range(1, 21)
                ],
            )
            clauses = {}
            for draft_id, pk, ref in Clause.objects.values_list("draft_id", "pk", "ref").iterator(
                chunk_size=20000
            ):
                clauses.setdefault(draft_id, []).append((pk, ref))
        big = projects[0]
        rest = args.comments - args.big

        def comment_rows():
            for n in range(args.comments):
                project = (
                    big
                    if n < args.big
                    else projects[1 + (n - args.big) * (len(projects) - 1) // max(rest, 1)]
                )
                draft = drafts[project]
                clause, ref = rng.choice(clauses[draft]) if n % 5 else (None, "")
                yield (
                    project,
                    draft,
                    "public",
                    clause,
                    ref,
                    "",
                    "",
                    rng.choice(["ge", "te", "ed"]),
                    f"Comment {n}: the clause should say more precisely what is required.",
                    "Say it precisely.",
                    "Clarity.",
                    f"Commenter {n % 977}",
                    "",
                    "",
                    True,
                    "en",
                    f"bench-{n}",
                    now,
                    "noted" if n % 2 else "",
                    "Kept for the next revision." if n % 2 else "",
                    None,
                )

        with transaction.atomic():
            insert_rows(
                Comment,
                [
                    "project_id",
                    "draft_id",
                    "source",
                    "clause_id",
                    "clause_ref",
                    "element",
                    "line",
                    "type",
                    "text",
                    "proposed_change",
                    "reason",
                    "author_name",
                    "member_body",
                    "email",
                    "confirmed",
                    "language",
                    "token",
                    "created_at",
                    "disposition",
                    "disposition_reason",
                    "satisfied",
                ],
                comment_rows(),
                batch_size=10000,
            )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"built the benchmark data in {time.perf_counter() - started:.0f} s", file=sys.stderr)

    projects = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    counts = {"projects": len(projects), "comments": Comment.objects.count()}
    big = projects[0]
    big_comments = Comment.objects.filter(project_id=big).count()
    print(f"data: {counts}; largest draft: {big_comments} comments")
    client = Client()
    rng = random.Random(7)

    cpu: list[float] = []

    def timed(url: str) -> float:
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        elapsed = time.perf_counter() - started
        cpu.append(time.process_time() - used)
        assert response.status_code == 200, (url, response.status_code)
        return elapsed

    def cpu_p95() -> str:
        ordered = sorted(cpu)
        result = f"CPU median {statistics.median(ordered) * 1000:.1f} ms, p95 {ordered[int(len(ordered) * 0.95) - 1] * 1000:.1f} ms"
        cpu.clear()
        return result

    timed(f"/development/{projects[1]}/drafts/1/")  # warm up
    cpu.clear()
    times = sorted(
        timed(f"/development/{rng.choice(projects[1:])}/drafts/1/") for _ in range(args.requests)
    )
    p95 = times[int(len(times) * 0.95) - 1]
    median = statistics.median(times) * 1000
    print(
        f"comment page, random drafts ({args.requests} requests): median {median:.1f} ms, "
        f"p95 {p95 * 1000:.1f} ms wall; {cpu_p95()}"
    )
    big_times = sorted(timed(f"/development/{big}/drafts/1/") for _ in range(30))
    median = statistics.median(big_times) * 1000
    print(
        f"comment page, the draft with {big_comments} comments (30 requests): median "
        f"{median:.1f} ms, p95 {big_times[int(30 * 0.95) - 1] * 1000:.1f} ms wall; {cpu_p95()}"
    )
    project = Project.objects.get(pk=big)
    draft = DraftVersion.objects.get(project=project, version=1)
    runs, used = [], []
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        data = disposition_table(project, draft)
        runs.append(time.perf_counter() - started)
        used.append(time.process_time() - cpu_started)
    print(
        f"disposition table (XLSX, {big_comments} comments, {len(data)} bytes): median "
        f"{statistics.median(runs):.2f} s, slowest {max(runs):.2f} s wall; CPU median "
        f"{statistics.median(used):.2f} s"
    )
    # The same table printed as PDF (Chinese) by headless Chromium: its CPU time is the
    # browser's (a child process), added from getrusage.
    from django.utils import translation

    from stdplus.development.dispositions import disposition_pdf

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    runs, used = [], []
    for _ in range(args.pdf_runs):
        started = time.perf_counter()
        cpu_started = time.process_time() + children_cpu()
        with translation.override("zh-hans"):
            pdf = disposition_pdf(project, draft)
        runs.append(time.perf_counter() - started)
        used.append(time.process_time() + children_cpu() - cpu_started)
    if runs:
        print(
            f"disposition table (PDF, {big_comments} comments, {len(pdf)} bytes): median "
            f"{statistics.median(runs):.2f} s, slowest {max(runs):.2f} s wall; CPU median "
            f"{statistics.median(used):.2f} s (this process and Chromium)"
        )
    if args.pdf_runs:
        stored_pdf(project, timed, cpu_p95)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores, shared)")
    return 0


def stored_pdf(project, timed, cpu_p95) -> None:
    """The PDF as the site makes it: the review's start asks for the print (the rows' fingerprint,
    one job per language), the worker's job prints and stores it, the download serves the stored
    bytes. Timed in one transaction that is rolled back, so the benchmark data stay as built."""
    from django.db import transaction

    from stdplus.core.jobs import job_execute
    from stdplus.development.models import Project
    from stdplus.development.services import dispositions_print_submit

    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(state="review")  # published: anyone reads it
        project.refresh_from_db()
        started = time.perf_counter()
        prints = dispositions_print_submit(project)
        asked = time.perf_counter() - started
        print(
            f"disposition table (PDF) asked for at the review's start (fingerprint of the rows, "
            f"{len(prints)} jobs): {asked * 1000:.0f} ms wall"
        )
        chinese = next(row for row in prints if row.language == "zh-hans")
        started = time.perf_counter()
        assert job_execute(chinese.job_id)
        print(
            f"disposition table (PDF) print job (zh-hans, on the worker: read, print, store): "
            f"{time.perf_counter() - started:.2f} s wall"
        )
        url = f"/development/{project.pk}/dispositions.pdf"
        times = sorted(timed(url) for _ in range(30))
        print(
            f"disposition table (PDF) download of the stored print (30 requests): median "
            f"{statistics.median(times) * 1000:.1f} ms, p95 {times[int(30 * 0.95) - 1] * 1000:.1f} "
            f"ms wall; {cpu_p95()}"
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    sys.exit(main())
