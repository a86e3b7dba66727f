"""A ranking run keeps what it read and computed as one compressed record (JSON lines in a ZIP
file, written by the database as it ranks) instead of three JSON lists.

Runs stored before are converted: the same inputs, exclusions and result, in the record's form;
their digest stays the one published (computed over the former JSON lists).
"""

import io
import json
import zipfile

from django.db import migrations, models

MEMBERS = ("scheme.json", "findings.jsonl", "inputs.jsonl", "exclusions.jsonl", "result.jsonl")


def _plain(text) -> str:
    text = str(text)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _lines(rows) -> bytes:
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode()


def _json_lines(data: bytes) -> list:
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def _pack(parts) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in zip(MEMBERS, parts, strict=True):
            member = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, data, compresslevel=1)
    return out.getvalue()


def to_record(apps, schema_editor):
    RankingRun = apps.get_model("supervision", "RankingRun")
    CoreIndicator = apps.get_model("supervision", "CoreIndicator")
    for run in RankingRun.objects.select_related("scheme").iterator(chunk_size=10):
        indicators = CoreIndicator.objects.filter(scheme_id=run.scheme_id).order_by("pk")
        scheme = [
            [i.name_zh, i.name_en, i.direction, i.unit, _plain(i.floor), [_plain(t) for t in i.tiers]]
            for i in indicators
        ]
        header = json.dumps(
            [scheme, run.scheme.leader_tiers], ensure_ascii=False, separators=(",", ":")
        ).encode()
        inputs, findings, ordinal = [], {}, 0
        for pid, did, eid, enterprise, product, values, errors in run.inputs:
            declared = []
            for name, unit, value in values:
                ordinal += 1
                declared.append([str(ordinal), name, unit, value])
            inputs.append([pid, did, eid, enterprise, product, declared])
            if errors:
                findings[did] = list(errors)
        result = [
            [r[0], r[1], r[2], r[8], r[9], int(r[10]), int(r[11])]
            + [x for value, tier, place in zip(r[5], r[6], r[7]) for x in (value, tier, place)]
            for r in run.result
        ]
        RankingRun.objects.filter(pk=run.pk).update(
            candidates=len(inputs),
            record=_pack(
                [
                    header,
                    _lines(sorted(findings.items())),
                    _lines(inputs),
                    _lines(run.exclusions),
                    _lines(result),
                ]
            ),
        )


def record_uncompressed(apps, schema_editor):
    """PostgreSQL keeps the record (a ZIP file already) out of line without compressing it
    again."""
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("supervision", "RankingRun")._meta.db_table
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN record SET STORAGE EXTERNAL")


def to_lists(apps, schema_editor):
    RankingRun = apps.get_model("supervision", "RankingRun")
    for run in RankingRun.objects.iterator(chunk_size=10):
        with zipfile.ZipFile(io.BytesIO(bytes(run.record))) as archive:
            parts = {name: archive.read(name) for name in MEMBERS}
        findings = {did: codes for did, codes in _json_lines(parts["findings.jsonl"])}
        inputs = [
            [pid, did, eid, enterprise, product]
            + [[d[1:] for d in sorted((x for x in declared if x), key=lambda x: int(x[0]))]]
            + [findings.get(did, [])]
            for pid, did, eid, enterprise, product, declared in _json_lines(parts["inputs.jsonl"])
        ]
        names = {row[0]: (row[3], row[4]) for row in inputs}
        result = [
            [r[0], r[1], r[2], *names.get(r[0], ("", "")), r[7::3], r[8::3], r[9::3], r[3], r[4]]
            + [bool(r[5]), bool(r[6])]
            for r in _json_lines(parts["result.jsonl"])
        ]
        RankingRun.objects.filter(pk=run.pk).update(
            inputs=sorted(inputs),
            exclusions=sorted(_json_lines(parts["exclusions.jsonl"])),
            result=sorted(result, key=lambda r: (r[9], r[0])),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_supervision"),
    ]

    operations = [
        migrations.AddField(
            model_name="rankingrun",
            name="candidates",
            field=models.PositiveIntegerField(default=0, verbose_name="products read"),
        ),
        migrations.AddField(
            model_name="rankingrun",
            name="record",
            field=models.BinaryField(
                default=b"",
                help_text=(
                    "The scheme, the inputs as read, the exclusions and the result: JSON lines "
                    "in one ZIP file."
                ),
                verbose_name="record",
            ),
        ),
        migrations.AlterField(
            model_name="rankingrun",
            name="inputs",
            field=models.JSONField(default=list, verbose_name="inputs"),
        ),
        migrations.AlterField(
            model_name="rankingrun",
            name="exclusions",
            field=models.JSONField(default=list, verbose_name="exclusions"),
        ),
        migrations.AlterField(
            model_name="rankingrun",
            name="result",
            field=models.JSONField(default=list, verbose_name="result"),
        ),
        migrations.RunPython(record_uncompressed, migrations.RunPython.noop),
        migrations.RunPython(to_record, to_lists),
        migrations.RemoveField(model_name="rankingrun", name="inputs"),
        migrations.RemoveField(model_name="rankingrun", name="exclusions"),
        migrations.RemoveField(model_name="rankingrun", name="result"),
    ]
