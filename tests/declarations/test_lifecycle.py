"""Declaring, revising (versions kept), withdrawing, suspending: every step an event."""

import pytest
from django.contrib.auth.models import Group, User

from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import transition_apply
from stdplus.declarations.models import Declaration
from stdplus.declarations.services import declaration_revise, product_remove, standard_cite

from .conftest import CURRENT_RECOMMENDED, WITHDRAWN


def _declare(declaration, member):
    return transition_apply(declaration, "declare", actor=member, data={"commitment": "yes"})


def test_declaring_records_the_commitment_and_the_findings(draft, member):
    event = _declare(draft, member)
    draft.refresh_from_db()
    assert draft.state == "declared" and draft.declared_on == event.on
    assert draft.commitment_by == member and draft.commitment_at is not None
    assert event.data == {"commitment": "yes", "findings": [], "replaces_version": None}


def test_errors_found_keep_a_declaration_from_being_public(draft, member):
    standard_cite(product=draft.products.get(), user=member, text=WITHDRAWN)
    with pytest.raises(ApplicationError) as refusal:
        _declare(draft, member)
    assert refusal.value.code == "declaration_has_errors"
    assert "1 error" in refusal.value.message
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.events.count() == 1


def test_revising_makes_a_new_version_and_keeps_every_version(draft, member):
    _declare(draft, member)
    second = declaration_revise(declaration=draft, user=member)
    assert (second.series, second.version, second.state) == (draft.series, 2, "draft")
    # Everything declared is copied into the new draft; the public version is untouched.
    assert [c.standard_id for c in second.products.get().cited.all()] == [
        c.standard_id for c in draft.products.get().cited.all()
    ]
    standard_cite(product=second.products.get(), user=member, text=CURRENT_RECOMMENDED)
    assert draft.products.get().cited.count() == 1
    with pytest.raises(ApplicationError) as refusal:
        declaration_revise(declaration=draft, user=member)
    assert refusal.value.code == "draft_exists"
    event = _declare(second, member)
    assert event.data["replaces_version"] == 1
    draft.refresh_from_db()
    assert draft.state == "revised"
    (superseded,) = draft.events.filter(action="supersede")
    assert superseded.actor is None and superseded.note == "v2"
    assert list(
        Declaration.objects.filter(series=draft.series)
        .order_by("version")
        .values_list("version", "state")
    ) == [
        (1, "revised"),
        (2, "declared"),
    ]


def test_nothing_public_is_deleted(draft, member):
    _declare(draft, member)
    with pytest.raises(ApplicationError) as refusal:
        product_remove(product=draft.products.get(), user=member)
    assert refusal.value.code == "not_a_draft"
    assert draft.products.count() == 1


def test_the_enterprise_withdraws_and_the_regulator_suspends(draft, member):
    _declare(draft, member)
    regulator = User.objects.create_user("inspector")
    regulator.groups.add(Group.objects.get(name="regulator"))
    regulator = User.objects.get(pk=regulator.pk)
    transition_apply(draft, "suspend", actor=regulator, note="抽查不合格")
    with pytest.raises(ApplicationError) as refusal:
        transition_apply(draft, "reinstate", actor=member, note="我们改好了")
    assert refusal.value.status == 403
    transition_apply(draft, "reinstate", actor=regulator, note="整改完成")
    transition_apply(draft, "withdraw", actor=member, note="停产")
    assert [e.action for e in draft.events.all()] == [
        "create",
        "declare",
        "suspend",
        "reinstate",
        "withdraw",
    ]
    assert draft.state == "withdrawn"
