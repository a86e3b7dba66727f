"""The record of a ranking run: downloadable as stored, its digest checkable by anyone, runs
stored before it existed converted without a change."""

import hashlib
import io
import json
import zipfile

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from stdplus.supervision.leaders import ranking_run, run_replay
from stdplus.supervision.models import RankingRun
from stdplus.supervision.records import MEMBERS


def test_the_record_downloads_as_stored_and_its_digest_checks(world, scheme_in_effect, client):
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    response = client.get(reverse("supervision:run-export", args=[run.pk, "zip"]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert tuple(archive.namelist()) == MEMBERS
    read = {name: archive.read(name) for name in MEMBERS}
    digest = hashlib.sha256(
        b"\n".join([read["scheme.json"], read["findings.jsonl"], read["inputs.jsonl"]])
    ).hexdigest()
    assert digest == run.inputs_digest
    scheme, leader_tiers = json.loads(read["scheme.json"])
    assert [s[0] for s in scheme] == ["热效率", "噪声"] and leader_tiers == 1
    assert len(read["inputs.jsonl"].splitlines()) == run.candidates == 6
    page = client.get(run.get_absolute_url()).content.decode()
    assert run.inputs_digest[:16] in page and 'export.zip"' in page


def test_the_same_declarations_give_the_same_record(world, scheme_in_effect):
    first = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    again = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    assert bytes(first.record) == bytes(again.record)
    assert RankingRun.objects.defer("record").get(pk=again.pk).candidates == 6


@pytest.mark.django_db(transaction=True)
def test_runs_stored_as_json_lists_are_converted_without_a_change(world, scheme_in_effect):
    run = ranking_run(actor=world.regulator, scheme=scheme_in_effect, year=2026)
    lists = (run.inputs, run.exclusions, run.result)
    digest = run.inputs_digest
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([("supervision", "0001_supervision")])
        old = executor.loader.project_state([("supervision", "0001_supervision")]).apps
        stored = old.get_model("supervision", "RankingRun")
        stored.objects.filter(pk=run.pk).update(
            inputs=lists[0], exclusions=lists[1], result=lists[2]
        )
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:  # the test database keeps its schema for the tests after
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    converted = RankingRun.objects.get(pk=run.pk)
    assert (converted.inputs, converted.exclusions, converted.result) == lists
    assert converted.inputs_digest == digest and converted.candidates == 6
    assert run_replay(converted) == (converted.exclusions, converted.result)
