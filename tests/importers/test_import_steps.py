"""An import written in short steps stays all or nothing: a failure at any step leaves the
catalog exactly as before (standards created and changed, classes, links, relations added,
changed and removed, events), and the next import of the file writes all of it."""

import json
import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction

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
from stdplus.catalog.services import imports, journal, settle
from stdplus.catalog.services.state import StepSizer, generation_claim
from stdplus.core.errors import ApplicationError
from stdplus.importers import synthetic
from stdplus.importers.services import file_import
from stdplus.search.models import SearchDocument

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


def small_steps(monkeypatch) -> None:
    """Steps of STEP_ROWS rows each and settling steps of one record of keys, however fast
    they go: each run of a file takes the same steps, so that a failure can be injected at the
    same one."""
    monkeypatch.setattr(journal, "STEP_ROWS", STEP_ROWS)
    monkeypatch.setattr(journal, "STEP_ROWS_MOST", STEP_ROWS)
    monkeypatch.setattr(settle, "STEP_RECORDS_MOST", 1)


@pytest.fixture
def files(tmp_path, monkeypatch):
    small_steps(monkeypatch)
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
    small_steps(monkeypatch)

    if where != "publish":
        fail_at(monkeypatch, max(1, round(where * total)))
        with pytest.raises(RuntimeError, match="failure injected"):
            file_import(second)
        assert snapshot() == before
        monkeypatch.undo()
        small_steps(monkeypatch)

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
    small_steps(monkeypatch)
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


def test_a_step_takes_on_what_fits_its_time_within_bounds(db):
    sizer = StepSizer(100, 800, seconds=0.25)
    if connection.vendor != "sqlite":  # writers lock rows there, not the database
        sizer.observe(5.0)
        assert sizer.next == 800
        return
    assert sizer.next == 100
    grown = []
    for _ in range(5):
        sizer.observe(0.01)  # quick steps: twice as much each time, up to the most
        grown.append(sizer.next)
    assert grown == [200, 400, 800, 800, 800]
    sizer.observe(1.0)  # 800 rows took 1 s: 200 fit in a quarter of a second
    assert sizer.next == 200
    sizer.observe(60.0)  # a very slow step: never fewer than the least
    assert sizer.next == 100


def test_steps_sized_by_their_pace_write_what_fixed_steps_write(tmp_path, monkeypatch):
    """The same two files, imported with steps of 40 rows and with steps that grow as they go
    quickly (up to 320 rows; settling up to four records of keys at once), give the same
    catalog and search index."""
    base = list(synthetic.generate(400, seed=3))
    first = write(tmp_path / "synthetic-a.jsonl", with_twins(base))
    second = write(tmp_path / "synthetic-b.jsonl", changed_file(base))
    sizes: list[tuple[int, int]] = []
    records_most = settle.STEP_RECORDS_MOST
    observe = StepSizer.observe

    def observing(self, seconds):
        sizes.append((self.most, self.next))
        return observe(self, seconds)

    monkeypatch.setattr(StepSizer, "observe", observing)
    monkeypatch.setattr(settle, "STEP", 50)  # records of 50 keys to settle: many of them

    def imported() -> dict:
        results = [file_import(first), file_import(second)]
        assert all(not r.errors for r in results)
        documents = SearchDocument.objects.values_list(
            "key", "standard_id", "status", "ident", "title", "facets", "xlang"
        )
        return {**snapshot(), "documents": sorted(documents)}

    def emptied() -> None:  # and the ids counted from 1 again, so that both runs number alike
        call_command("flush", interactive=False, verbosity=0)

    small_steps(monkeypatch)
    emptied()
    fixed = imported()
    assert {size for most, size in sizes if most == STEP_ROWS} == {STEP_ROWS}
    emptied()
    sizes.clear()
    monkeypatch.setattr(journal, "STEP_ROWS_MOST", 8 * STEP_ROWS)
    monkeypatch.setattr(settle, "STEP_RECORDS_MOST", records_most)
    assert imported() == fixed
    apply_sizes = [size for most, size in sizes if most == 8 * STEP_ROWS]
    settle_sizes = [size for most, size in sizes if most == records_most]
    assert apply_sizes and settle_sizes
    assert max(apply_sizes) <= 8 * STEP_ROWS and max(settle_sizes) <= records_most
    if connection.vendor == "sqlite":  # a few hundred rows take milliseconds: the steps grow
        assert apply_sizes[0] == STEP_ROWS and max(apply_sizes) > STEP_ROWS
        assert settle_sizes[0] == 1 and max(settle_sizes) == records_most


def test_new_standards_take_their_ids_in_the_order_of_their_keys(tmp_path):
    """Settling goes through the keys in order; new standards numbered in that order (not the
    file's) are settled as neighbouring rows, and their class links are written in it too."""
    records = list(synthetic.generate(120, seed=3))
    shuffled = records[::-1][::2] + records[::-1][1::2]  # far from key order
    file_import(write(tmp_path / "synthetic.jsonl", shuffled))
    canonicals = list(Standard.objects.order_by("pk").values_list("canonical", flat=True))
    assert len(canonicals) == len(records)
    assert canonicals == sorted(canonicals)
    assert canonicals != [Standard.objects.get(source_id=r["id"]).canonical for r in shuffled]
    links = list(
        Standard.classifications.through.objects.order_by("pk").values_list(
            "standard_id", flat=True
        )
    )
    assert links
    assert links == sorted(links)
