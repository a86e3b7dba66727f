import pytest

from stdplus.programme.models import AuditEvent, Participation, StandardsBody
from stdplus.programme.services.audit import (
    record_archive,
    record_create,
    record_restore,
    record_update,
)

pytestmark = pytest.mark.django_db


def test_changes_are_logged_and_archive_is_soft(world):
    body = StandardsBody.objects.get(code="SAC/TC 901")
    record_update(instance=body, changes={"name_en": "Committee one"})
    record_archive(instance=body, note="moved away")
    assert StandardsBody.objects.filter(pk=body.pk).exists()
    assert not StandardsBody.objects.live().filter(pk=body.pk).exists()
    record_restore(instance=body)
    actions = list(
        AuditEvent.objects.filter(
            model="programme.standardsbody", object_id=str(body.pk)
        ).values_list("action", "changes")
    )
    assert [a for a, _ in actions] == ["restore", "archive", "update"]
    assert actions[2][1] == {"name_en": ["", "Committee one"]}


def test_the_database_refuses_a_second_live_participation(world):
    from stdplus.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        record_create(
            model=Participation,
            values={
                "organization": world.nanshan,
                "standard": world.parts.a1.standard,
                "role": "drafter",
            },
        )
