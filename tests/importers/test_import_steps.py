"""An import written in short steps stays all or nothing: a failure at any step leaves the
catalog exactly as before (standards created and changed, classes, links, relations added,
changed and removed, events), and the next import of the file writes all of it."""

import json
import os

import pytest
from django.db import transaction

from stdplus.catalog.models import (
    CatalogState,
    ChangeEvent,
    Classification,
    ImportRun,
    ImportUndo,
    PendingChange,
    Relation,
    SourceFacts,
    Standard,
)
from stdplus.catalog.services import imports, journal
from stdplus.catalog.services.state import generation_claim
from stdplus.core.errors import ApplicationError
from stdplus.importers import synthetic
from stdplus.importers.services import file_import

pytestmark = pytest.mark.django_db(transaction=True)

STEP_ROWS = 40  # small steps, so that a few hundred records make many of them


def write(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def changed_file(base: list[dict]) -> list[dict]:
    """The base file changed every way an import can change the catalog, plus new records."""
    records = [dict(r) for r in base]
    for index, record in enumerate(records):
        if index % 5 == 0:
            record["title_en"] = f"{record.get('title_en', '')} (revised)"
        if index % 7 == 0:
            record["status"] = "withdrawn"
            record["withdrawn"] = "2025-01-01"
        if index % 6 == 0:
            record["ics"] = ["99.998.01"]  # a class the catalog does not have yet
        if index % 4 == 0 and record.get("relations"):
            record["relations"] = record["relations"][1:]  # one relation no longer stated
        if index % 9 == 0:
            record["relations"] = [
                *record.get("relations", []),
                {"type": "references", "target": base[(index + 1) % len(base)]["id"]},
            ]
    # Standards that older relations already name (those relations get their ends resolved).
    ids = {r["id"] for r in base}
    targets = sorted({t["target"] for r in base for t in r.get("relations", [])} - ids, key=str)[
        :30
    ]
    named = [{**base[0], "id": target, "relations": []} for target in targets]
    # Records listed twice with other values: their facts are kept (catalog/services/facts.py),
    # new ones for these, changed ones for those of the first file (`with_twins`).
    twins = [{**r, "title_en": "listed again", "relations": []} for r in base[40:60]]
    return records + named + list(synthetic.generate(250, seed=7)) + twins


def with_twins(records: list[dict]) -> list[dict]:
    return records + [{**r, "title_en": "listed twice", "relations": []} for r in records[:20]]


def snapshot() -> dict:
    """Everything an import writes, as comparable values."""
    skip = {"updated_at", "created_at"}
    standard_fields = [f.attname for f in Standard._meta.concrete_fields if f.name not in skip]
    relation_fields = [f.attname for f in Relation._meta.concrete_fields]
    return {
        "standards": sorted(Standard.objects.values_list(*standard_fields)),
        "relations": sorted(Relation.objects.values_list(*relation_fields), key=repr),
        "links": sorted(
            Standard.classifications.through.objects.values_list(
                "pk", "standard_id", "classification_id"
            )
        ),
        "classes": sorted(Classification.objects.values_list("pk", "scheme", "code", "title_zh")),
        "events": sorted(
            ChangeEvent.objects.values_list(
                "pk", "standard_id", "kind", "field", "old_value", "new_value", "import_run_id"
            ),
            key=repr,
        ),
        "pending": PendingChange.objects.count(),
        "facts": sorted(
            SourceFacts.objects.values_list("pk", "standard_id", "source", "facts", "set_aside"),
            key=repr,
        ),
    }


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "STEP_ROWS", STEP_ROWS)
    base = list(synthetic.generate(400, seed=3))
    first = write(tmp_path / "synthetic-a.jsonl", with_twins(base))
    second = write(tmp_path / "synthetic-b.jsonl", changed_file(base))
    file_import(first)
    return first, second


def count_steps(monkeypatch) -> list[int]:
    calls = [0]
    real = imports.step_run

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "step_run", counting)
    return calls


def fail_at(monkeypatch, step: int) -> None:
    calls = [0]
    real = imports.step_run

    def failing(*args, **kwargs):
        calls[0] += 1
        if calls[0] == step:
            raise RuntimeError(f"failure injected at step {step}")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "step_run", failing)


@pytest.mark.parametrize("where", [0.0, 0.3, 0.6, 1.0, "publish"])
def test_a_failure_at_any_step_leaves_the_catalog_as_before(files, monkeypatch, where, tmp_path):
    first, second = files
    # How many steps the second file takes: counted on a run that fails when it would publish
    # (after its last step), which must itself leave nothing.
    calls = count_steps(monkeypatch)
    before = snapshot()
    monkeypatch.setattr(
        imports,
        "apply_publish",
        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("failure injected at publish")),
    )
    with pytest.raises(RuntimeError, match="at publish"):
        file_import(second)
    total = calls[0]
    assert total >= 20, "the test file should take many steps"
    assert snapshot() == before
    monkeypatch.undo()
    monkeypatch.setattr(journal, "STEP_ROWS", STEP_ROWS)

    if where != "publish":
        fail_at(monkeypatch, max(1, round(where * total)))
        with pytest.raises(RuntimeError, match="failure injected"):
            file_import(second)
        assert snapshot() == before
        monkeypatch.undo()
        monkeypatch.setattr(journal, "STEP_ROWS", STEP_ROWS)

    runs = ImportRun.objects.filter(path=str(second))
    assert runs.count() >= 1
    assert all(r.finished_at is None for r in runs)
    if journal.stepped():  # PostgreSQL: one transaction, rolled back by the database
        assert all(r.rolled_back_at is not None for r in runs)
    assert not ImportUndo.objects.exists()
    assert CatalogState.objects.get(pk=1).applying_run_id is None

    unresolved = Relation.objects.filter(to_standard__isnull=True).count()
    result = file_import(second)  # the file again, to the end
    assert Relation.objects.filter(to_standard__isnull=True).count() < unresolved
    assert result.created >= 1 and result.updated >= 1
    assert result.relations_removed >= 1 and result.relations_added >= 1
    assert Classification.objects.filter(code="99.998.01").exists()
    assert Standard.objects.filter(title_en__endswith="(revised)").exists()
    assert SourceFacts.objects.filter(set_aside__0__values__title_en="listed again").exists()
    assert not ImportUndo.objects.exists()
    assert result.write_steps >= total


def test_a_run_whose_process_died_is_undone_by_the_next_catalog_write(files, monkeypatch):
    """A killed process cannot undo its steps: the next write finds it dead and does."""
    if not journal.stepped():
        pytest.skip("PostgreSQL writes an import in one transaction: a kill rolls it back")
    first, second = files
    before = snapshot()
    real = imports.step_run
    calls = [0]

    def dying(run, *args, **kwargs):
        calls[0] += 1
        if calls[0] == 12:
            # As after a kill -9: the steps so far are committed, their process is gone.
            CatalogState.objects.filter(pk=1).update(applying_pid=2**22 + 7, applying_host="x")
            raise SystemExit("killed")
        return real(run, *args, **kwargs)

    monkeypatch.setattr(imports, "step_run", dying)
    monkeypatch.setattr(imports, "run_undo", lambda run_id: None)  # nothing left to undo it
    with pytest.raises(SystemExit):
        file_import(second)
    monkeypatch.undo()
    monkeypatch.setattr(journal, "STEP_ROWS", STEP_ROWS)
    assert ImportUndo.objects.exists()
    assert snapshot() != before  # half a file is in
    state = CatalogState.objects.get(pk=1)
    # Another machine's process is only taken for dead once it has been silent for a while.
    assert not journal.holder_dead(state)
    with pytest.raises(ApplicationError) as refused, transaction.atomic():
        generation_claim(None)  # an edit, say
    assert refused.value.code == "catalog_busy"
    CatalogState.objects.filter(pk=1).update(applying_host=journal._holder()[0])
    assert journal.holder_dead(CatalogState.objects.get(pk=1))  # no such process here

    assert journal.catalog_recover() is not None
    assert snapshot() == before
    assert file_import(second).created >= 1


def test_an_edit_while_an_import_writes_its_steps_is_refused_with_a_clear_message(
    files, monkeypatch
):
    """While a live import holds the catalog, an edit waits a little, then gets a 409 saying
    why, and writes nothing."""
    from django.utils import timezone

    from stdplus.catalog.services import edits, standard_update

    if not journal.stepped():
        pytest.skip("PostgreSQL: an edit waits for the import's row lock instead")
    run = ImportRun.objects.create(source="test", path="live.jsonl")
    host, _pid = journal._holder()
    CatalogState.objects.filter(pk=1).update(
        applying_run=run,
        applying_host=host,
        applying_pid=os.getppid(),  # a live process that is not this one
        applying_seen=timezone.now(),
    )
    monkeypatch.setattr(edits, "BUSY_WAIT", 0.3)
    standard = Standard.objects.first()
    with pytest.raises(ApplicationError) as refused:
        standard_update(standard=standard, changes={"title_en": "Edited during an import"})
    assert refused.value.code == "catalog_busy" and refused.value.status == 409
    assert "try again" in refused.value.message
    assert not Standard.objects.filter(title_en="Edited during an import").exists()

    CatalogState.objects.filter(pk=1).update(applying_run=None)  # the import published
    assert standard_update(standard=standard, changes={"title_en": "Edited after"}) == ["title_en"]
