"""The import contracts of `make check` (pyproject.toml, [tool.importlinter]) hold, and fail on a
violation: each case adds one bad module to a copy of the package and runs lint-imports on it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).parent / "lint-imports"


def lint(tmp_path: Path, extra: dict[str, str]) -> subprocess.CompletedProcess:
    copy = tmp_path / "src"
    shutil.copytree(
        REPO / "src" / "stdplus",
        copy / "stdplus",
        ignore=lambda folder, names: [
            n for n in names if not n.endswith(".py") and not (Path(folder) / n).is_dir()
        ],
    )
    for name, text in extra.items():
        (copy / name).write_text(text, encoding="utf-8")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_code_keeps_every_contract(tmp_path):
    run = lint(tmp_path, {})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def _fields_importing_the_orchestrator() -> str:
    fields = (REPO / "src/stdplus/catalog/services/fields.py").read_text(encoding="utf-8")
    return fields + "\nfrom . import imports  # noqa: E402, F401\n"


@pytest.mark.parametrize(
    ("files", "contract"),
    [
        (
            {"stdplus/catalog/probe.py": "from stdplus.search import indexing\n"},
            "catalog does not import search",
        ),
        ({"stdplus/core/probe.py": "import stdplus.catalog.models\n"}, "core imports no app"),
        (
            {"stdplus/programme/probe.py": "from stdplus.stats import indicators\n"},
            "Apps import only the layers below them",
        ),
        (
            {"stdplus/catalog/services/fields.py": _fields_importing_the_orchestrator()},
            "The catalog write path imports only downwards",
        ),
        ({"stdplus/identifiers/probe.py": "import django\n"}, "identifiers is pure Python"),
    ],
)
def test_a_violation_fails_the_check(tmp_path, files, contract):
    run = lint(tmp_path, files)
    assert run.returncode != 0
    assert f"{contract}" in run.stdout
    assert "BROKEN" in run.stdout
