"""The ``normalize`` CLI contract, with in-memory streams and a real subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from stdplus.identifiers.cli import JSON_KEYS, normalize_main

SRC = Path(__file__).resolve().parents[2] / "src"


def run(argv, stdin_text=""):
    out = io.StringIO()
    code = normalize_main(argv, io.StringIO(stdin_text), out)
    return code, out.getvalue()


def test_plain_arguments():
    code, out = run(["GBT 19001—2016", "rfc9110"])
    assert code == 0
    assert out == "GB/T 19001-2016\nRFC 9110\n"


def test_plain_with_a_rejection_exits_1():
    code, out = run(["ISO 9001:2015", "GB/T"])
    assert code == 1
    assert out.splitlines() == ["ISO 9001:2015", "error: a bare prefix 'GB/T' without a number"]


def test_stdin_lines_and_single_trailing_newline():
    code, out = run([], "iso9001:2015\nDB4403/T30-2019\n")
    assert code == 0
    assert out.splitlines() == ["ISO 9001:2015", "DB4403/T 30-2019"]


def test_json_one_object_per_line_including_blank_lines():
    code, out = run(["--json"], "ＧＢ／Ｔ　１９００１－２０１６\n\nquality management\n")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    recs = [json.loads(line) for line in lines]
    for rec in recs:
        assert tuple(rec) == JSON_KEYS
    assert recs[0] == {
        "input": "ＧＢ／Ｔ　１９００１－２０１６",
        "ok": True,
        "canonical": "GB/T 19001-2016",
        "level": "national",
        "body": "GB",
        "number": "19001",
        "part": None,
        "year": 2016,
        "work": "GB/T 19001",
        "error": None,
    }
    assert recs[1]["ok"] is False and recs[1]["error"] == "empty text"
    assert recs[2]["canonical"] is None and "quality management" in recs[2]["error"]
    assert "ＧＢ" in lines[0]  # ensure_ascii=False


def test_json_arguments_all_ok():
    code, out = run(["--json", "IEC 60601-2-8:2010"])
    assert code == 0
    rec = json.loads(out)
    assert (rec["part"], rec["work"], rec["body"]) == ("2-8", "IEC 60601-2-8", "IEC")


def test_empty_stdin_prints_nothing():
    assert run([], "") == (0, "")


def test_subprocess_module_entry_point():
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONIOENCODING="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "stdplus.identifiers", "normalize", "--json"],
        input="GB/T 19001—2016\nWD/ISO 10360-2\n".encode(),
        capture_output=True,
        check=False,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["canonical"] == "GB/T 19001-2016"
    assert "unknown standards body 'WD'" in json.loads(lines[1])["error"]
    proc = subprocess.run(
        [sys.executable, "-m", "stdplus.identifiers", "normalize", "RFC-9110"],
        capture_output=True,
        check=False,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0
    assert proc.stdout.decode() == "RFC 9110\n"
