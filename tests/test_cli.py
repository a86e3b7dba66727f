"""The `stdplus` console script as a person runs it: real processes, a real database file."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BUNDLED_DATA
from .identifiers.test_parse import CANONICAL

STDPLUS = shutil.which("stdplus", path=str(Path(sys.executable).parent)) or "stdplus"


def run(args, *, env=None, stdin=None, check=False):
    return subprocess.run(
        [STDPLUS, *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=check,
    )


@pytest.fixture
def database(tmp_path, migrated_sqlite):
    path = migrated_sqlite(tmp_path / "cli.sqlite3")
    return {
        "DATABASE_URL": f"sqlite:///{path}",
        "STDPLUS_HOME": str(tmp_path),
        "STDPLUS_TODAY": "2026-11-26",
    }


def test_id_normalize_prints_every_issue_example_as_written():
    # CANONICAL holds every example of the issue (and more), each printed exactly as written.
    result = run(["id", "normalize", *CANONICAL])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == CANONICAL


def test_id_normalize_json_contract_from_stdin():
    lines = ["GBT 19001—2016", "iso 9001:2008", "GB/T", "ＧＢ／Ｔ　１．１－２０２０"]
    result = run(["id", "normalize", "--json"], stdin="\n".join(lines) + "\n")
    assert result.returncode == 1  # one line was rejected
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == len(lines)
    keys = {"input", "ok", "canonical", "level", "body", "number", "part", "year", "work", "error"}
    assert all(set(o) == keys for o in objects)
    assert objects[0] == {
        "input": "GBT 19001—2016",
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
    assert objects[1]["canonical"] == "ISO 9001:2008" and objects[1]["level"] == "international"
    assert objects[2]["ok"] is False and objects[2]["canonical"] is None and objects[2]["error"]
    assert objects[3]["canonical"] == "GB/T 1.1-2020" and objects[3]["part"] == "1"


def test_import_and_show_through_the_console_script(database, tmp_path):
    curated = BUNDLED_DATA / "cn_curated.jsonl.gz"
    result = run(["import", str(curated)], env=database)
    assert result.returncode == 0, result.stderr
    assert "cn_curated.jsonl.gz" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80  # fits a terminal
    shown = run(["show", "GB 2760-2011"], env=database)
    assert shown.returncode == 0, shown.stderr
    assert "GB 2760-2011 → GB 2760-2014 → GB 2760-2024" in shown.stdout
    as_json = json.loads(run(["show", "--json", "gbt 28001-2011"], env=database).stdout)
    assert as_json["chain"] == ["GB/T 28001-2011", "GB/T 45001-2020"]
    missing = run(["show", "GB/T 99999-2020"], env=database)
    assert missing.returncode == 1 and "not in the catalog" in missing.stderr
    typo = run(["show", "GB 19001-2016"], env=database)
    assert typo.returncode == 1 and "did you mean: GB/T 19001-2016" in typo.stderr


def test_catalog_commands_start_without_the_web_parts(database):
    # A batch command skips Django's system checks, which import the URL configuration (every
    # view and the API's schemas), and pinyin's dictionaries load only when a name is romanized.
    heavy = ["stdplus.urls", "stdplus.api", "pypinyin", "stdplus.catalog.models"]
    script = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print('LOADED', *[m for m in {heavy!r} if m in sys.modules]))\n"
        "from stdplus.cli import main\n"
        "main(sys.argv[1:])\n"
    )

    def loaded(args):
        result = subprocess.run(
            [sys.executable, "-c", script, *args],
            capture_output=True,
            text=True,
            env={**os.environ, **database},
            timeout=120,
        )
        return set(result.stdout.rsplit("LOADED", 1)[-1].split())

    assert loaded(["show", "GB 2760-2011"]) == {"stdplus.catalog.models"}
    assert loaded(["import", "--json", os.devnull]) == {"stdplus.catalog.models"}
    # The system checks themselves still load everything.
    assert {"stdplus.urls", "stdplus.api"} <= loaded(["check"])


def test_a_broken_file_fails_with_the_row_and_writes_nothing(database, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("标准号,发布日期\nGB 2760-2014,2014-12-24\nGB/T,2015-01-01\n", encoding="utf-8")
    result = run(["import", str(path)], env=database)
    assert result.returncode == 1
    assert f"{path}, row 3, field 'id'" in result.stderr
    counted = run(
        [
            "shell",
            "-c",
            "from stdplus.catalog.models import Standard;print(Standard.objects.count())",
        ],
        env=database,
    )
    assert counted.stdout.strip().splitlines()[-1] == "0"
    skipped = run(["import", str(path), "--skip-invalid"], env=database)
    assert skipped.returncode == 0 and "row 3" in skipped.stderr


def test_bench_generate_writes_realistic_records(tmp_path):
    out = tmp_path / "synthetic.jsonl"
    result = run(["bench", "generate", "500", "--out", str(out)])
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 500 and all(r["synthetic"] for r in rows)
    assert {r["level"] for r in rows} >= {"national", "industry", "local", "group", "enterprise"}
    assert any(r["relations"] for r in rows)


def _outside(tmp_path):
    """The environment of a person in a folder that is not a stdplus folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "STDPLUS_HOME")}
    return env


@pytest.mark.parametrize(
    "args", [["show", "GB/T 19001-2016"], ["import"], ["check", "refs.txt"], ["notify"]]
)
def test_outside_a_project_a_command_refuses_and_creates_no_database(tmp_path, args):
    (tmp_path / "refs.txt").write_text("GB/T 19001-2016\n", encoding="utf-8")
    result = subprocess.run(
        [STDPLUS, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_outside(tmp_path),
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "no stdplus database here" in result.stderr
    assert "Traceback" not in result.stderr
    assert "stdplus migrate" in result.stderr
    assert not (tmp_path / "var" / "stdplus.sqlite3").exists()


@pytest.mark.parametrize("args", [["import", "--help"], ["report", "-h"]])
def test_outside_a_project_a_command_still_gives_its_help(tmp_path, args):
    result = subprocess.run(
        [STDPLUS, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_outside(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: stdplus" in result.stdout and "--" in result.stdout
    assert not (tmp_path / "var" / "stdplus.sqlite3").exists()


def test_an_empty_database_asks_for_migrate_instead_of_a_traceback(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "stdplus.sqlite3").touch()
    result = subprocess.run(
        [STDPLUS, "show", "GB/T 19001-2016"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_outside(tmp_path),
        timeout=120,
    )
    assert result.returncode == 2
    assert "has no stdplus tables yet" in result.stderr
    assert "Traceback" not in result.stderr


def test_commands_without_a_database_still_run_outside_a_project(tmp_path):
    result = subprocess.run(
        [STDPLUS, "id", "normalize", "gb/t 1.1-2020"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_outside(tmp_path),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "GB/T 1.1-2020"


def test_a_database_older_than_the_code_asks_for_migrate(database):
    # The database as the release before the last catalog migration left it: that
    # migration's column missing and not recorded as applied (`migrate catalog 0008` would
    # do the same, in some forty seconds of unapplying).
    path = database["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("ALTER TABLE catalog_importrun DROP COLUMN data_date")
        connection.execute(
            "DELETE FROM django_migrations WHERE app = 'catalog' AND name = '0009_import_run_data_date'"
        )
    connection.close()
    result = run(["import", str(BUNDLED_DATA / "cn_curated.jsonl.gz")], env=database)
    assert result.returncode == 2
    assert "is older than this version of stdplus" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_import_speaks_the_terminals_language(database, tmp_path):
    """Bad rows are named with file, row and field, in the language of LANG."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "GB/T 1.1-2020", "published": "2020-13-45"}\nnot json\n', encoding="utf-8"
    )
    said = {}
    for lang in ("zh_CN.UTF-8", "en_US.UTF-8"):
        env = {**database, "LANG": lang, "LANGUAGE": "", "LC_ALL": "", "COLUMNS": "200"}
        result = run(["import", str(bad), "--skip-invalid"], env=env)
        said[lang] = result.stdout + result.stderr
        assert "Traceback" not in said[lang]
    chinese, english = said["zh_CN.UTF-8"], said["en_US.UTF-8"]
    assert "第 1 行" in chinese and "不是有效日期" in chinese and "（整行）" in chinese
    assert "not valid JSON" not in chinese and "not a valid date" not in chinese
    assert "row 1" in english and "not a valid date" in english and "not valid JSON" in english
    assert "第 1 行" not in english
