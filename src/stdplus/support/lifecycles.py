"""Support's lifecycles: a question to the experts (asked, accepted, answered, rated)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Membership
from stdplus.core.lifecycle import SYSTEM, Attempt, Input, Lifecycle, Role, Step, is_person

from .choices import RATINGS, QuestionState
from .models import Question, QuestionEvent


def _suggested(actor, question) -> bool:
    from .questions import is_suggested

    return is_person(actor) and is_suggested(actor, question)


def _answering(actor, question) -> bool:
    from .questions import expert_of

    expert = expert_of(actor) if is_person(actor) else None
    return expert is not None and expert.pk == question.expert_id


SUGGESTED = Role(_("an expert suggested for the question"), _suggested)
ANSWERING = Role(_("the expert who took the question"), _answering)
ASKERS = Role(
    _("members of the asking organization"),
    lambda actor, question: (
        is_person(actor)
        and Membership.objects.filter(user=actor, organization_id=question.organization_id).exists()
    ),
)


def _take(attempt: Attempt) -> dict:
    from .questions import expert_of

    attempt.obj.expert = expert_of(attempt.actor)
    return {"expert": attempt.obj.expert_id}


QUESTION = Lifecycle(
    name="support_question",
    label=_("question to the experts"),
    model=Question,
    states=QuestionState,
    initial=[QuestionState.ASKED],
    event_model=QuestionEvent,
    subject_field="question",
    start_label=_("Asked"),
    is_demo=lambda question: False,
    steps=[
        Step(
            "accept",
            _("Take the question"),
            [QuestionState.ASKED],
            QuestionState.ACCEPTED,
            who=(SUGGESTED,),
            effect=_take,
        ),
        Step(
            "answer",
            _("Answer"),
            [QuestionState.ACCEPTED],
            QuestionState.ANSWERED,
            who=(ANSWERING,),
            inputs=[Input("answer_text", _("answer"), required=True)],
            records={"answer": "answer_text", "answered_on": "@on"},
        ),
        Step(
            "rate",
            _("Rate the answer"),
            [QuestionState.ANSWERED],
            QuestionState.RATED,
            who=(ASKERS,),
            inputs=[
                Input("stars", _("rating (1 to 5)"), kind="choice", choices=RATINGS, required=True)
            ],
            records={"rating": "stars"},
        ),
        Step(
            "withdraw",
            _("Withdraw the question"),
            [QuestionState.ASKED, QuestionState.ACCEPTED],
            QuestionState.WITHDRAWN,
            who=(ASKERS, SYSTEM),
        ),
    ],
)
