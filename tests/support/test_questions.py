"""Expert help: suggestions by field with conflicts left out, the question's lifecycle, who
sees what, the public knowledge base and its link from the standard's page; bad input."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from stdplus.catalog.models import Classification
from stdplus.core.lifecycle import transition_apply
from stdplus.programme.models import Expert, Position
from stdplus.support.models import ExpertProfile, Question, QuestionEvent
from stdplus.support.questions import experts_suggested
from stdplus.support.services import question_ask

from .conftest import logged_in

pytestmark = pytest.mark.django_db


def expert(name, organization=None, ics=(), ccs=(), committee=None, available=True):
    person = Expert.objects.create(
        name_zh=name, name_en=name, organization=organization, email="x@example.org"
    )
    user = User.objects.create_user(f"expert-{name}")
    ExpertProfile.objects.create(
        expert=person, user=user, available=available, ics=list(ics), ccs=list(ccs)
    )
    if committee:
        Position.objects.create(
            expert=person,
            body=committee,
            family="iso",
            committee_level="tc",
            role="member",
            term_start=dt.date(2020, 1, 1),
        )
    return person, User.objects.get(pk=user.pk)


@pytest.fixture
def help_desk(firm):
    standard = firm.national.standard
    cls, _ = Classification.objects.get_or_create(
        scheme="ics", code="03.120.10", defaults={"depth": 3}
    )
    standard.classifications.add(cls)
    Standard = type(standard)
    Standard.objects.filter(pk=standard.pk).update(committee="SAC/TC 151")
    return {
        "quality": expert("Li", organization=firm.other, ics=["03.120"]),
        "committee": expert("Wang", committee="SAC/TC 151"),
        "own": expert("Zhao", organization=firm.organization, ics=["03"]),  # a conflict
        "away": expert("Sun", ics=["03.120"], available=False),
        "unrelated": expert("Zhou", ics=["11.040"]),
        "standard": standard,
    }


def ask(firm, public=True, **values):
    return question_ask(
        organization=firm.organization,
        user=firm.member,
        topic=values.pop("topic", "standard"),
        title=values.pop("title", "How do we test the quality indicators?"),
        standard=values.pop("standard", "GB/T 93001-2024"),
        public=public,
        **values,
    )


def test_experts_are_suggested_by_field_and_conflicts_left_out(firm, help_desk):
    question = ask(firm)
    names = [s.expert.name_en for s in experts_suggested(question)]
    assert set(names) == {"Li", "Wang"}
    by_name = {s.expert.name_en: s.fields for s in experts_suggested(question)}
    assert by_name["Li"] == ["ICS 03.120"] and by_name["Wang"] == ["SAC/TC 151"]


def test_asked_taken_answered_rated_and_found_by_the_public(firm, help_desk, client):
    question = ask(firm)
    _, li = help_desk["quality"]
    _, zhou = help_desk["unrelated"]
    url = question.get_absolute_url()
    # An expert not suggested cannot take it; the suggested one can, and answers.
    assert logged_in(zhou).post(url, {"action": "accept"}).status_code == 403
    question.refresh_from_db()
    assert question.state == "asked"
    expert_client = logged_in(li)
    expert_client.post(url, {"action": "accept"})
    expert_client.post(
        url, {"action": "answer", "answer_text": "Use the methods of GB/T 93001 clause 6."}
    )
    member = logged_in(firm.member)
    member.post(url, {"action": "rate", "stars": "5"})
    question.refresh_from_db()
    assert (question.state, question.rating, question.expert.name_en) == ("rated", "5", "Li")
    assert list(
        QuestionEvent.objects.filter(question=question).values_list("action", flat=True)
    ) == [
        "create",
        "accept",
        "answer",
        "rate",
    ]
    # The public finds it by words and from the standard's page.
    found = client.get(reverse("api:support_questions"), {"q": "clause 6"}).json()
    assert [item["id"] for item in found["items"]] == [question.pk]
    with translation.override("en"):
        page = client.get(help_desk["standard"].get_absolute_url()).content.decode()
    assert "Experts&#x27; answers" in page or "Experts' answers" in page
    assert question.get_absolute_url() in page
    public = client.get(reverse("api:support_question", args=[question.pk])).json()
    assert public["answer"].startswith("Use the methods") and "organization" not in public
    assert "x@example.org" not in client.get(url).content.decode()


def test_private_questions_are_seen_by_their_owners_the_expert_and_the_regulator(
    firm, help_desk, client
):
    question = ask(firm, public=False)
    api = reverse("api:support_question", args=[question.pk])
    assert client.get(api).status_code == 404
    assert logged_in(firm.stranger).get(question.get_absolute_url()).status_code == 404
    assert logged_in(firm.member).get(api).status_code == 200
    assert logged_in(firm.regulator).get(api).status_code == 200
    # The suggested expert reads it to take it; once taken, only the one who took it.
    _, li = help_desk["quality"]
    _, wang = help_desk["committee"]
    assert logged_in(wang).get(api).status_code == 200
    transition_apply(question, "accept", actor=li)
    assert logged_in(li).get(api).status_code == 200
    assert logged_in(wang).get(api).status_code == 404
    transition_apply(question, "answer", actor=li, data={"answer_text": "Private answer"})
    assert client.get(reverse("api:support_questions")).json()["count"] == 0


def test_bad_questions_are_refused_and_nothing_written(firm, help_desk):
    member = logged_in(firm.member)
    with translation.override("en"):
        response = member.post(
            reverse("support:ask"),
            {"topic": "standard", "title": "Which edition?", "standard": "GB/T 93009-2024"},
        )
        assert response.status_code == 400
        assert "No standard in the catalog is GB/T 93009-2024" in response.content.decode()
        empty = member.post(reverse("support:ask"), {"topic": "committee", "title": "Hi"})
        assert "Name the declaration, test method or committee" in empty.content.decode()
    assert not Question.objects.exists() and not QuestionEvent.objects.exists()
    stranger = logged_in(firm.stranger)
    stranger.post(reverse("support:ask"), {"topic": "other", "subject": "x", "title": "t"})
    assert not Question.objects.filter(organization=firm.organization).exists()
