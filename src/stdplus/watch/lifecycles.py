"""The webhook delivery lifecycle (see stdplus.core.lifecycle): taken by the sender
(`watch.delivery.webhooks_deliver`), except "try again", which staff take in the admin."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stdplus.core.lifecycle import SYSTEM, Attempt, Input, Lifecycle, Step, permission_role

from .models import DeliveryEvent, DeliveryState, WebhookDelivery

STAFF = permission_role(
    "watch.change_webhookdelivery", _("staff who may change webhook deliveries")
)

ATTEMPT = Input("attempt", _("attempt"), kind="integer", minimum=1, required=True)
STATUS = Input("status_code", _("HTTP status"), kind="integer")
ERROR = Input("error", _("error"))
NEXT = Input("next_attempt_at", _("next attempt"), kind="datetime", required=True)


def _unclaim(attempt: Attempt) -> None:
    attempt.obj.claimed_at = None


def _delivered(attempt: Attempt) -> None:
    attempt.obj.claimed_at = None
    attempt.obj.last_error = ""


DELIVERY = Lifecycle(
    name="webhook_delivery",
    label=_("webhook delivery"),
    model=WebhookDelivery,
    states=DeliveryState,
    initial=[DeliveryState.PENDING],
    event_model=DeliveryEvent,
    subject_field="delivery",
    # Deliveries are written in bulk with their alerts; the history starts with the first claim.
    history_deleted_with_subject=True,
    is_demo=lambda delivery: False,
    steps=[
        Step(
            "claim",
            _("Claimed for sending"),
            [DeliveryState.PENDING, DeliveryState.RETRYING],
            DeliveryState.SENDING,
            who=[SYSTEM],
            inputs=[Input("claimed_at", _("claimed"), kind="datetime", required=True)],
            records={"claimed_at": "claimed_at"},
        ),
        Step(
            "deliver",
            _("Delivered"),
            [DeliveryState.SENDING],
            DeliveryState.DELIVERED,
            who=[SYSTEM],
            inputs=[
                ATTEMPT,
                STATUS,
                Input("delivered_at", _("delivered"), kind="datetime", required=True),
            ],
            records={"attempts": "attempt", "delivered_at": "delivered_at"},
            effect=_delivered,
        ),
        Step(
            "retry",
            _("Failed; to be tried again"),
            [DeliveryState.SENDING],
            DeliveryState.RETRYING,
            who=[SYSTEM],
            inputs=[ATTEMPT, STATUS, ERROR, NEXT],
            records={"attempts": "attempt", "last_error": "error", "next_attempt_at": NEXT.name},
            effect=_unclaim,
        ),
        Step(
            "give_up",
            _("Failed; given up after the last attempt"),
            [DeliveryState.SENDING],
            DeliveryState.FAILED,
            who=[SYSTEM],
            inputs=[ATTEMPT, STATUS, ERROR],
            records={"attempts": "attempt", "last_error": "error"},
            effect=_unclaim,
        ),
        Step(
            "release",
            _("Released (the sender stopped before an answer)"),
            [DeliveryState.SENDING],
            DeliveryState.RETRYING,
            who=[SYSTEM],
            inputs=[NEXT],
            records={"next_attempt_at": NEXT.name},
            effect=_unclaim,
        ),
        Step(
            "requeue",
            _("Try again"),
            [DeliveryState.FAILED],
            DeliveryState.RETRYING,
            who=[STAFF, SYSTEM],
            records={"next_attempt_at": "@now"},
            help=_("One more attempt, for example after the receiver was fixed."),
        ),
    ],
)
