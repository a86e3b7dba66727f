"""Search and detail speed at 1,000,000 standards, against datasette over the same rows.

    python bench/bench_search.py            # build var/bench/ if missing, then measure
    python bench/bench_search.py --build    # only build the catalog and the peer's database
    python bench/bench_search.py --total 200000 --seconds 5   # a smaller, quicker run
    python bench/bench_search.py --port 8104 --peer-port 18104    # other ports (default 8150, 8151)
    python bench/bench_search.py --total 200000 --direct   # the search queries in this process
    python bench/bench_search.py --only detail   # only the detail pages, ours and the peer's

Builds var/bench/catalog.sqlite3 (the bundled real data plus `stdplus bench generate`
synthetic records up to --total, imported with `stdplus import`), and var/bench/peer.sqlite3
(a plain table of the same rows with an FTS5 table, as `sqlite-utils enable-fts` makes it).
Serves ours with gunicorn (2 workers) and the peer with datasette, on 127.0.0.1; measures a
fixed set of queries through each JSON API (latency p50/p95, one request at a time), detail
pages, then requests per second with a separate load process. Needs `pip install -e .[bench]`.
Prints a Markdown report and writes var/bench/results.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "bench"
CATALOG = VAR / "catalog.sqlite3"
PEER = VAR / "peer.sqlite3"
BIN = Path(sys.executable).parent
OURS_PORT, PEER_PORT = 8150, 8151  # defaults; --port and --peer-port change them


def run(args: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, env={**os.environ, **(env or {})}, cwd=REPO)
    return time.perf_counter() - started


def _count() -> int:
    if not CATALOG.exists():
        return 0
    return sqlite3.connect(CATALOG).execute("SELECT COUNT(*) FROM catalog_standard").fetchone()[0]


def build(total: int) -> dict:
    VAR.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    env = {"DATABASE_URL": f"sqlite:///{CATALOG}"}
    stdplus = str(BIN / "stdplus")
    timings["migrate"] = run([stdplus, "migrate", "-v0"], env)
    if not CATALOG.exists() or _count() == 0:
        timings["import bundled"] = run([stdplus, "import"], env)
    have = _count()
    if have < total - 1000:  # (a run stopped half-way left the bundled data only)
        synthetic = VAR / "synthetic.jsonl"
        timings["generate"] = run(
            [stdplus, "bench", "generate", str(total - have), "--out", str(synthetic)], env
        )
        timings["import synthetic"] = run([stdplus, "import", str(synthetic)], env)
    if not PEER.exists():
        started = time.perf_counter()
        peer = sqlite3.connect(PEER)
        peer.execute(f"ATTACH DATABASE '{CATALOG}' AS ours")
        peer.executescript(
            """
            CREATE TABLE standards (
              id INTEGER PRIMARY KEY, identifier TEXT, title_zh TEXT, title_en TEXT, scope TEXT,
              level TEXT, body TEXT, status TEXT, published TEXT, year INTEGER);
            INSERT INTO standards
              SELECT id, canonical, title_zh, title_en, scope, level, body, status, published,
                     CAST(substr(published, 1, 4) AS INTEGER) FROM ours.catalog_standard;
            CREATE UNIQUE INDEX standards_identifier ON standards(identifier);
            CREATE INDEX standards_level ON standards(level);
            CREATE INDEX standards_status ON standards(status);
            CREATE INDEX standards_body ON standards(body);
            """
        )
        peer.commit()
        peer.execute("DETACH DATABASE ours")
        peer.close()
        # The way datasette users add search: sqlite-utils enable-fts (FTS5). The trigram
        # tokenizer, so that Chinese substrings match there too.
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
                "--create-triggers",
            ],
            check=True,
        )
        timings["peer database"] = time.perf_counter() - started
    return timings


def queries(seed: int = 2026, ids: list[str] | None = None) -> list[dict]:
    """A fixed set of at least 200 searches: identifiers, Chinese and English words, filters.

    `ids`: every canonical identifier of the catalog in id order (default: read from CATALOG);
    the identifier searches are drawn from them."""
    rng = random.Random(seed)
    out: list[dict] = []
    if ids is None:
        db = sqlite3.connect(CATALOG)
        ids = [r[0] for r in db.execute("SELECT canonical FROM catalog_standard ORDER BY id")]
    for canonical in rng.sample(ids, 50):
        typed = canonical.lower().replace(" ", "") if rng.random() < 0.5 else canonical
        out.append({"kind": "identifier", "q": typed, "peer_id": canonical})
    chinese = [
        "质量管理",
        "信息技术",
        "电动汽车",
        "食品安全",
        "医疗器械",
        "网络安全",
        "数据中心",
        "锂离子电池",
        "智能电网",
        "试验方法",
        "安全要求",
        "通用要求",
        "技术规范",
        "术语",
        "检验规则",
        "管理规范",
        "能效等级",
        "物联网",
        "集成电路",
        "冷链物流",
        "光伏组件",
        "轨道交通",
        "智慧养老",
        "环境监测",
        "家用电器",
        "纺织品",
        "电子商务",
        "工业机器人",
        "建筑节能",
        "移动通信",
        "质量管理体系",
        "食品添加剂",
        "标准化",
        "充电",
        "数据接口",
        "评价指南",
        "无人驾驶",
        "航空器",
        "城市管理",
        "养老",
        "电池",
        "电网",
        "机器人",
        "要求",
        "方法",
        "体系",
        "能效",
        "汽车",
        "医疗",
        "通信",
    ]
    for word in chinese:
        out.append({"kind": "chinese", "q": word})
    english = [
        "quality management",
        "information technology",
        "safety",
        "electric vehicles",
        "medical devices",
        "food",
        "cybersecurity",
        "test methods",
        "vocabulary",
        "requirements",
        "steel",
        "water",
        "energy efficiency",
        "road vehicles",
        "plastics",
        "rubber",
        "textiles",
        "photovoltaic",
        "batteries",
        "robots",
        "security techniques",
        "measurement",
        "environmental",
        "welding",
        "concrete",
        "acoustics",
        "ergonomics",
        "software",
        "network",
        "optical fibre",
        "manag",
        "electr",
        "telecom",
        "fire",
        "gas",
        "pipes",
        "paper",
        "glass",
        "soil",
        "wood",
        "nuclear",
        "aircraft",
        "ships",
        "agricultural",
        "dental",
        "laboratory",
        "data",
        "smart grid",
        "internet of things",
        "logistics",
    ]
    for word in english:
        out.append({"kind": "english", "q": word})
    levels = ["national", "industry", "local", "group", "enterprise", "international"]
    statuses = ["current", "superseded", "withdrawn"]
    words = chinese[:25] + english[:25]
    for i in range(55):
        item = {"kind": "filter", "q": words[i % len(words)] if i % 5 else ""}
        item["level"] = rng.choice(levels)
        if i % 2:
            item["status"] = rng.choice(statuses)
        if i % 3 == 0:
            item["body"] = "GB" if item["level"] == "national" else None
        out.append({k: v for k, v in item.items() if v is not None})
    return out


def ours_url(query: dict) -> str:
    params = {k: v for k, v in query.items() if k in ("q", "level", "status", "body") and v}
    return "/api/v1/standards?" + urlencode(params)


def peer_url(query: dict) -> str:
    params: dict = {"_size": 20, "_facet": ["level", "status", "body", "year"]}
    if query.get("kind") == "identifier":
        params["_search"] = '"' + query["peer_id"].replace('"', "") + '"'
    elif query.get("q"):
        params["_search"] = query["q"]
    for name in ("level", "status", "body"):
        if query.get(name):
            params[name] = query[name]
    pairs = []
    for key, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, item))
    return "/peer/standards.json?" + urlencode(pairs)


class Client:
    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 599, time.perf_counter() - started
        return response.status, time.perf_counter() - started


def percentiles(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    pick = lambda p: ms[min(len(ms) - 1, int(round(p / 100 * (len(ms) - 1))))]  # noqa: E731
    return {
        "p50": round(pick(50), 2),
        "p95": round(pick(95), 2),
        "max": round(ms[-1], 2),
        "mean": round(statistics.fmean(ms), 2),
        "n": len(ms),
    }


def measure(port: int, paths: list[str]) -> tuple[dict, list[int]]:
    client = Client(port)
    for path in paths:  # warm-up pass: caches, page cache
        client.get(path)
    timings, codes = [], []
    for path in paths:
        code, seconds = client.get(path)
        timings.append(seconds)
        codes.append(code)
    return percentiles(timings), codes


def _load_worker(port: int, paths: list[str], seconds: float, counter) -> None:
    import threading

    done = [0]
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def loop(offset: int) -> None:
        client = Client(port)
        i = offset
        while time.perf_counter() < stop:
            code, _ = client.get(paths[i % len(paths)])
            i += 7
            with lock:
                done[0] += 1
                errors[0] += code != 200  # a refusal (429) is an error too

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counter.put((done[0], errors[0]))


def throughput(port: int, paths: list[str], seconds: float) -> dict:
    """Requests per second from a second process: 8 keep-alive connections, bounded in time."""
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_load_worker, args=(port, paths, seconds, queue))
    started = time.perf_counter()
    process.start()
    done, errors = queue.get(timeout=seconds + 120)
    process.join(timeout=30)
    elapsed = time.perf_counter() - started
    return {
        "requests": done,
        "errors": errors,  # answers other than 200
        "seconds": round(elapsed, 1),
        "rps": round(done / elapsed, 1),
    }


def wait_for(port: int, path: str) -> None:
    for _ in range(600):  # a busy machine can take minutes to start a server
        try:
            if Client(port).get(path)[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answers on port {port}")


def serve_ours(port: int, database_url: str) -> subprocess.Popen:
    """Our site on the database at `database_url`: gunicorn, 2 workers, 127.0.0.1:`port`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STDPLUS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Every request comes from 127.0.0.1: the per-address limits would answer 429.
        "STDPLUS_API_RATE_ANON": os.environ.get("STDPLUS_API_RATE_ANON", "0"),
        "STDPLUS_API_RATE_TOKEN": os.environ.get("STDPLUS_API_RATE_TOKEN", "0"),
    }
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "stdplus.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
        env=env,
    )


def serve(ours_port: int, peer_port: int) -> list[subprocess.Popen]:
    ours = serve_ours(ours_port, f"sqlite:///{CATALOG}")
    peer = subprocess.Popen(
        [
            str(BIN / "datasette"),
            "serve",
            str(PEER),
            "--host",
            "127.0.0.1",
            "--port",
            str(peer_port),
            "--setting",
            "suggest_facets",
            "off",
            "--setting",
            "sql_time_limit_ms",
            "10000",
            "--setting",
            "facet_time_limit_ms",
            "10000",
            "--setting",
            "num_sql_threads",
            "3",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return [ours, peer]


def direct(fixed: list[dict]) -> dict:
    """Latency of the fixed searches through `standards_search`, in this process, after one
    warm-up pass: the search itself, without HTTP, JSON or a second process."""
    os.environ["DATABASE_URL"] = f"sqlite:///{CATALOG}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stdplus.settings")
    import django

    django.setup()
    from stdplus.search.selectors import SearchFilters, standards_search

    def one(query: dict) -> float:
        filters = SearchFilters(
            **{k: [query[k]] for k in ("level", "status", "body") if query.get(k)}
        )
        started = time.perf_counter()
        standards_search(q=query.get("q", ""), filters=filters)
        return time.perf_counter() - started

    for query in fixed:
        one(query)
    report = {"all": percentiles([one(q) for q in fixed])}
    for kind in ("identifier", "chinese", "english", "filter"):
        report[kind] = percentiles([one(q) for q in fixed if q["kind"] == kind])
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=1_000_000, help="standards in the catalog")
    parser.add_argument("--seconds", type=float, default=10, help="length of each load run")
    parser.add_argument("--build", action="store_true", help="only build the databases")
    parser.add_argument("--port", type=int, default=OURS_PORT, help="port of our server")
    parser.add_argument("--peer-port", type=int, default=PEER_PORT, help="port of datasette")
    parser.add_argument(
        "--direct",
        action="store_true",
        help="only time the search queries through the selector in this process (no servers)",
    )
    parser.add_argument(
        "--only",
        choices=("search", "detail"),
        help="measure only the searches or only the detail pages (both by default)",
    )
    args = parser.parse_args()
    kinds = ("search", "detail") if args.only is None else (args.only,)
    ours_port, peer_port = args.port, args.peer_port
    build_times = build(args.total)
    if args.build:
        print(json.dumps(build_times, indent=2))
        return 0
    if args.direct:
        print(json.dumps(direct(queries()), indent=2))
        return 0
    count = sqlite3.connect(CATALOG).execute("SELECT COUNT(*) FROM catalog_standard").fetchone()[0]
    fixed = queries()
    details = [
        r[0]
        for r in sqlite3.connect(CATALOG).execute(
            "SELECT canonical FROM catalog_standard ORDER BY random() LIMIT 200"
        )
    ]
    servers = serve(ours_port, peer_port)
    try:
        wait_for(ours_port, "/api/v1/standards?q=x")
        wait_for(peer_port, "/peer/standards.json?_size=1")
        report: dict = {"standards": count, "queries": len(fixed), "build_seconds": build_times}
        ours_search = [ours_url(q) for q in fixed]
        peer_search = [peer_url(q) for q in fixed]
        ours_detail = ["/api/v1/standards/" + quote(c, safe="") for c in details]
        peer_detail = [
            "/peer/standards.json?" + urlencode({"identifier__exact": c, "_size": 1})
            for c in details
        ]
        results = {}
        for name, port, paths in (
            ("ours search", ours_port, ours_search),
            ("peer search", peer_port, peer_search),
            ("ours detail", ours_port, ours_detail),
            ("peer detail", peer_port, peer_detail),
        ):
            if name.split()[1] not in kinds:
                continue
            stats, codes = measure(port, paths)
            stats["errors"] = sum(c != 200 for c in codes)
            results[name] = stats
        report["latency_ms"] = results
        if "search" in kinds:
            by_kind: dict = {}
            for kind in ("identifier", "chinese", "english", "filter"):
                paths = [ours_url(q) for q in fixed if q["kind"] == kind]
                by_kind[kind] = measure(ours_port, paths)[0]
            report["ours_search_by_kind_ms"] = by_kind
        report["throughput"] = {}
        report["ratios_ours_over_peer"] = {}
        for kind, ours_paths, peer_paths in (
            ("search", ours_search, peer_search),
            ("detail", ours_detail, peer_detail),
        ):
            if kind not in kinds:
                continue
            report["throughput"][f"ours {kind}"] = throughput(ours_port, ours_paths, args.seconds)
            report["throughput"][f"peer {kind}"] = throughput(peer_port, peer_paths, args.seconds)
            for figure in ("p50", "p95"):
                report["ratios_ours_over_peer"][f"{kind} {figure}"] = round(
                    results[f"ours {kind}"][figure] / results[f"peer {kind}"][figure], 3
                )
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            process.wait(timeout=30)
    (VAR / "results.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
