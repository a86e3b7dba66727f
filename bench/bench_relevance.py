"""Search relevance on the real bundled data: recall@10 and MRR, ours against datasette.

    python bench/bench_relevance.py                      # SQLite only (and the peer)
    python bench/bench_relevance.py --pg postgres://postgres@127.0.0.1:5432/stdplus_rel
    python bench/bench_relevance.py --port 8104 --list   # print the queries too

Builds var/bench-relevance/catalog.sqlite3 from data/ (`stdplus migrate`, `stdplus import`)
when it is missing or empty, and the same for the PostgreSQL database given with --pg; the
peer's database (var/bench-relevance/peer.sqlite3) holds the same rows with an FTS5 trigram
table, as bench_search.py makes it. Queries are made from the catalog's real rows, with a
fixed seed, in six kinds (at least 300 in all); each names the one standard a person typing
it wants:

- en_title: a current standard's whole English title, as printed. Only titles that no other
  current standard has (editions of one work share titles: the current one is wanted).
- en_partial: the title without its introductory element ("Quality management systems —
  Requirements"), at least three words, found in the title of no other current standard.
- zh_title: a current standard's whole Chinese title without its spaces (as typed), unique in
  the same way.
- zh_partial: the Chinese title without its first element, spaces removed, at least four
  characters, in no other current standard's title.
- identifier: an identifier as people and PDFs write it: lower case, no spaces, a full-width
  slash or division slash, full-width digits, a space for the colon or dash before the year.
- zh_for_international: the Chinese title (no spaces) of a Chinese standard that adopts an
  international one without a Chinese title; the international standard is wanted (its
  adopter, found first by its own words, is not counted).

Each query runs through `stdplus.search.selectors.standards_search` (page of 10) on SQLite
and on PostgreSQL (in a child process per database), and through datasette's JSON API over
the same rows twice: its table search (`_search`, the way bench_search.py queries it) and an
SQL query ordering the FTS5 matches by `rank` (BM25), the best the peer offers. Needs
`pip install -e .[bench]`. Prints a Markdown table and writes var/bench-relevance/results.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench-relevance"
CATALOG = VAR / "catalog.sqlite3"
PEER = VAR / "peer.sqlite3"
BIN = Path(sys.executable).parent
SEED = 11
KINDS = {
    "en_title": 60,
    "en_partial": 50,
    "zh_title": 60,
    "zh_partial": 50,
    "identifier": 70,
    "zh_for_international": 40,
}
TOP = 10
MAX_QUERY = 200  # the search box's limit: longer titles are not typed whole
_RUN = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ELEMENTS = re.compile(r"\s+[—–-]\s+|\s*——\s*|\s*—\s*")


def key(text: str) -> str:
    """A text as compared: NFKC, lower case, its words run together."""
    return "".join(_RUN.findall(unicodedata.normalize("NFKC", text or "").lower()))


# -- building -------------------------------------------------------------------------------


def stdplus(args: list[str], database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([str(BIN / "stdplus"), *args], check=True, env=env, cwd=REPO)


def count_standards(database_url: str) -> int:
    code = (
        "import django; django.setup(); from stdplus.catalog.models import Standard; "
        "print(Standard.objects.count())"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "stdplus.settings"}
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True
        )
        return int(out.stdout.strip() or 0)
    except ValueError:
        return 0


def build(database_url: str) -> None:
    stdplus(["migrate", "-v0"], database_url)
    if count_standards(database_url) == 0:
        stdplus(["import"], database_url)


def build_peer() -> None:
    if PEER.exists():
        return
    peer = sqlite3.connect(PEER)
    peer.execute(f"ATTACH DATABASE '{CATALOG}' AS ours")
    peer.executescript(
        """
        CREATE TABLE standards (
          id INTEGER PRIMARY KEY, identifier TEXT, title_zh TEXT, title_en TEXT, scope TEXT,
          level TEXT, body TEXT, status TEXT, published TEXT);
        INSERT INTO standards
          SELECT id, canonical, title_zh, title_en, scope, level, body, status, published
          FROM ours.catalog_standard;
        """
    )
    peer.commit()
    peer.execute("DETACH DATABASE ours")
    peer.close()
    subprocess.run(
        [
            str(BIN / "sqlite-utils"),
            "enable-fts",
            str(PEER),
            "standards",
            "identifier",
            "title_zh",
            "title_en",
            "scope",
            "--fts5",
            "--tokenize",
            "trigram",
        ],
        check=True,
    )


# -- queries --------------------------------------------------------------------------------


def _messy(canonical: str, rng: random.Random) -> str:
    """An identifier as it is typed or pasted from a PDF."""
    spellings = [
        lambda s: s.lower().replace(" ", ""),
        lambda s: s.replace("/", "\uff0f"),  # full-width solidus
        lambda s: s.replace("/", "\u2215").lower(),  # division slash
        lambda s: s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}),
        lambda s: re.sub(r"[:-](\d{4})$", r" \1", s),
        lambda s: s.replace(" ", "  ").lower(),
    ]
    return rng.choice(spellings)(canonical)


def make_queries(seed: int = SEED) -> list[dict]:
    """At least 300 queries from the catalog's rows, each with the identifier wanted."""
    rng = random.Random(seed)
    db = sqlite3.connect(CATALOG)
    rows = db.execute(
        "SELECT id, canonical, work_key, status, is_supplement, title_zh, title_en, level "
        "FROM catalog_standard ORDER BY canonical"
    ).fetchall()
    current = [r for r in rows if r[3] == "current" and not r[4]]
    en_titles = [key(r[6]) for r in current]
    zh_titles = [key(r[5]) for r in current]
    en_count: dict[str, int] = {}
    zh_count: dict[str, int] = {}
    for k in en_titles:
        en_count[k] = en_count.get(k, 0) + 1
    for k in zh_titles:
        zh_count[k] = zh_count.get(k, 0) + 1

    def unique_in(titles: list[str], wanted: str, limit: int = 2) -> bool:
        n = 0
        for title in titles:
            if wanted in title:
                n += 1
                if n >= limit:
                    return False
        return n == 1

    out: list[dict] = []

    def take(kind: str, candidates: list[tuple[str, str]], check=None) -> None:
        rng.shuffle(candidates)
        taken = 0
        for q, wanted in candidates:
            if taken >= KINDS[kind]:
                break
            if len(q) > MAX_QUERY or (check is not None and not check(q)):
                continue
            out.append({"kind": kind, "q": q, "wanted": wanted})
            taken += 1

    english = [(r[6], r[1]) for r in current if len(r[6].split()) >= 3 and en_count[key(r[6])] == 1]
    take("en_title", english)

    partial = []
    for r in current:
        elements = _ELEMENTS.split(r[6].strip()) if r[6] else []
        if len(elements) > 1:
            tail = " — ".join(elements[1:])
            if len(tail.split()) >= 3:
                partial.append((tail, r[1]))
    take("en_partial", partial, check=lambda q: unique_in(en_titles, key(q)))

    chinese = [
        (r[5].replace(" ", "").replace("\u3000", ""), r[1])
        for r in current
        if r[5] and zh_count[key(r[5])] == 1
    ]
    take("zh_title", chinese)

    zh_partial = []
    for r in current:
        parts = (r[5] or "").split()
        if len(parts) > 1:
            tail = "".join(parts[1:])
            if len(tail) >= 4 and _CJK.search(tail):
                zh_partial.append((tail, r[1]))
    take("zh_partial", zh_partial, check=lambda q: unique_in(zh_titles, key(q)))

    by_body: dict[str, list[str]] = {}
    for r in rows:
        body = re.split(r"[ /]", r[1])[0]
        by_body.setdefault(body, []).append(r[1])
    identifiers = []
    for body in sorted(by_body):
        for canonical in rng.sample(by_body[body], min(6, len(by_body[body]))):
            identifiers.append((_messy(canonical, rng), canonical))
    take("identifier", identifiers)

    titles = {r[0]: r for r in rows}
    pairs = db.execute(
        "SELECT from_standard_id, to_standard_id FROM catalog_relation "
        "WHERE type IN ('adopts', 'identical') AND from_standard_id IS NOT NULL "
        "AND to_standard_id IS NOT NULL ORDER BY from_standard_id, to_standard_id"
    ).fetchall()
    cross = []
    for a, b in pairs:
        chinese_std, international = titles[a], titles[b]
        if chinese_std[5] and not international[5] and international[6]:
            cross.append((chinese_std[5].replace(" ", ""), international[1]))
    take("zh_for_international", cross)
    return out


# -- ranking --------------------------------------------------------------------------------


def rank_ours(database_url: str, queries: list[dict]) -> list[list[str]]:
    """The identifiers of the first 10 results of each query, in a child process."""
    path = VAR / "queries.json"
    path.write_text(json.dumps(queries, ensure_ascii=False))
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "stdplus.settings"}
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def child(path: str) -> None:
    import django

    django.setup()
    from stdplus.core.errors import ApplicationError
    from stdplus.search.selectors import standards_search

    queries = json.loads(Path(path).read_text())
    out = []
    timings = []
    for query in queries:
        started = time.perf_counter()
        try:
            found = [s.canonical for s in standards_search(q=query["q"], page_size=TOP).standards]
        except ApplicationError:
            found = []
        timings.append(time.perf_counter() - started)
        out.append(found)
    print(json.dumps(out))
    print(f"median {sorted(timings)[len(timings) // 2] * 1000:.1f} ms", file=sys.stderr)


class Peer:
    def __init__(self, port: int):
        self.port = port
        self.process = subprocess.Popen(
            [
                str(BIN / "datasette"),
                "serve",
                str(PEER),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--setting",
                "sql_time_limit_ms",
                "10000",
                "--setting",
                "suggest_facets",
                "off",
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(600):
            try:
                self.get("/peer/standards.json?_size=1")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"datasette does not answer on port {port}")

    def get(self, path: str) -> dict:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return json.loads(body) if response.status == 200 else {}

    def table_search(self, q: str) -> list[str]:
        params = {"_search": q, "_size": TOP, "_shape": "objects", "_col": "identifier"}
        found = self.get("/peer/standards.json?" + urlencode(params))
        return [row["identifier"] for row in found.get("rows", [])]

    def ranked_search(self, q: str) -> list[str]:
        from datasette.utils import escape_fts

        sql = (
            "SELECT s.identifier FROM standards_fts f JOIN standards s ON s.rowid = f.rowid "
            f"WHERE standards_fts MATCH :q ORDER BY rank LIMIT {TOP}"
        )
        found = self.get("/peer.json?" + urlencode({"sql": sql, "q": escape_fts(q)}))
        return [row[0] for row in found.get("rows", [])]

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def score(queries: list[dict], ranked: list[list[str]]) -> dict:
    """recall@10 and mean reciprocal rank (0 beyond the first 10), overall and by kind."""
    by_kind: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    for query, found in zip(queries, ranked, strict=True):
        wanted = query["wanted"]
        rank = found.index(wanted) + 1 if wanted in found[:TOP] else 0
        for name in ("all", query["kind"]):
            by_kind.setdefault(name, []).append(1 / rank if rank else 0.0)
            hits.setdefault(name, []).append(1 if rank else 0)
    return {
        name: {
            "recall@10": round(sum(hits[name]) / len(hits[name]), 3),
            "mrr": round(sum(values) / len(values), 3),
            "n": len(values),
        }
        for name, values in by_kind.items()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL database URL to measure too")
    parser.add_argument("--port", type=int, default=8152, help="port of datasette")
    parser.add_argument("--list", action="store_true", help="print each query and its ranks")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    VAR.mkdir(parents=True, exist_ok=True)
    sqlite_url = f"sqlite:///{CATALOG}"
    build(sqlite_url)
    if args.pg:
        build(args.pg)
    build_peer()
    queries = make_queries()
    systems: dict[str, list[list[str]]] = {"stdplus (SQLite)": rank_ours(sqlite_url, queries)}
    if args.pg:
        systems["stdplus (PostgreSQL)"] = rank_ours(args.pg, queries)
    peer = Peer(args.port)
    try:
        systems["datasette (_search)"] = [peer.table_search(q["q"]) for q in queries]
        systems["datasette (FTS5 by rank)"] = [peer.ranked_search(q["q"]) for q in queries]
    finally:
        peer.close()
    report = {name: score(queries, ranked) for name, ranked in systems.items()}
    (VAR / "results.json").write_text(
        json.dumps({"queries": queries, "report": report}, ensure_ascii=False, indent=2)
    )
    if args.list:
        for i, query in enumerate(queries):
            ranks = {
                name: (ranked[i].index(query["wanted"]) + 1 if query["wanted"] in ranked[i] else 0)
                for name, ranked in systems.items()
            }
            print(query["kind"], repr(query["q"]), query["wanted"], ranks)
    kinds = ["all", *KINDS]
    print(f"{len(queries)} queries\n")
    print("| system | " + " | ".join(kinds) + " |")
    print("| --- | " + " | ".join("---" for _ in kinds) + " |")
    for name, figures in report.items():
        cells = [
            f"{figures[k]['recall@10']:.3f} / {figures[k]['mrr']:.3f}" if k in figures else "-"
            for k in kinds
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(
        "\n(cells: recall@10 / MRR; n per kind: "
        + ", ".join(f"{k} {report['stdplus (SQLite)'].get(k, {}).get('n', 0)}" for k in kinds)
        + ")"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
