"""Factories for programme records; `PilotFactory.in_state(...)` builds a pilot with its history."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from stdplus.accounts.models import Organization, OrganizationKind
from stdplus.catalog.models import Standard
from stdplus.catalog.services import StandardIn, standards_import
from stdplus.core.lifecycle import transition_apply
from stdplus.programme.choices import PilotLevel, PilotState
from stdplus.programme.models import OrganizationProfile, Pilot
from stdplus.programme.services.pilots import pilot_create


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name_zh = factory.Sequence(lambda n: f"测试机构{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Test Organization {n} Co., Ltd.")
    kind = OrganizationKind.ENTERPRISE
    region_code = "440305"

    @factory.post_generation
    def profile(self, create, extracted, **kwargs):
        if create:
            OrganizationProfile.objects.create(organization=self, **kwargs)


def standards(*rows) -> dict[str, Standard]:
    """Load catalog entries: rows of (identifier, published ISO date, extra StandardIn fields)."""
    records = []
    for index, row in enumerate(rows, start=1):
        identifier, published, *rest = row
        extra = rest[0] if rest else {}
        records.append(
            StandardIn(
                identifier,
                row=index,
                title_en=f"Title of {identifier}",
                status_word="current",
                published=dt.date.fromisoformat(published) if published else None,
                **extra,
            )
        )
    standards_import(records=records, source="test", path="test.jsonl")
    from stdplus.identifiers import parse

    keys = {row[0]: parse(row[0]).canonical for row in rows}
    found = {s.canonical: s for s in Standard.objects.filter(canonical__in=keys.values())}
    return {text: found[key] for text, key in keys.items()}


# The steps (programme.lifecycles.PILOT) that lead a new pilot to each state.
PATH = {
    PilotState.APPROVED: [],
    PilotState.IN_PROGRESS: ["begin"],
    PilotState.UNDER_EVALUATION: ["begin", "submit_for_evaluation"],
    PilotState.COMPLETED: ["begin", "submit_for_evaluation", "complete"],
    PilotState.TERMINATED: ["terminate"],
}


class PilotFactory:
    """Pilots made through the services, so their events are real."""

    count = 0

    @classmethod
    def in_state(
        cls,
        state: str,
        *,
        host: Organization,
        start: dt.date,
        steps: list[dt.date] | None = None,
        level: str = PilotLevel.NATIONAL,
        **values,
    ) -> Pilot:
        cls.count += 1
        pilot = pilot_create(
            values={
                "title_zh": f"试点项目{cls.count}",
                "title_en": f"Pilot {cls.count}",
                "level": level,
                "host": host,
                "start": start,
                **values,
            }
        )
        path = PATH[state]
        steps = steps or [start + dt.timedelta(days=30 * (i + 1)) for i in range(len(path))]
        for action, on in zip(path, steps, strict=True):
            data = {"evaluation_result": "passed"} if action == "complete" else {}
            note = "stopped by the test" if action == "terminate" else ""
            transition_apply(pilot, action, actor=None, on=on, data=data, note=note)
        pilot.refresh_from_db()
        return pilot


PDF = b"%PDF-1.4\n% evidence\n"


def evidence_complete(application):
    """Attach a small PDF for every kind of evidence the application's item requires."""
    from stdplus.programme.services.funding import evidence_attach

    for kind in application.item_type.evidence_required or []:
        evidence_attach(application=application, kind=kind, name=f"{kind}.pdf", data=PDF)
    return application
