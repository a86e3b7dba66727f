"""Watch lists and the alerts derived from the catalog's change events.

Delivery is an outbox: `Alert` rows (unique per watch list and event) are written in the same
transaction that moves `AlertCursor` past the events; inbox notifications and webhook
deliveries are rows with their own states, so a restart in the middle of sending loses nothing
and sends nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import ChangeEvent
from stdplus.core.models import ImmutableModel, TransitionEvent


class ItemKind(models.TextChoices):
    EDITION = "edition", _("edition")
    WORK = "work", _("work (every edition)")
    ICS = "ics", _("ICS class")
    BODY = "body", _("issuing body")


class Digest(models.TextChoices):
    NONE = "none", _("no email")
    DAILY = "daily", _("daily email")
    WEEKLY = "weekly", _("weekly email")


def reader_language() -> str:
    """The language a recipient reads, taken when they subscribe: the page's language then
    (one of LANGUAGES). Alerts are phrased in it when they are delivered."""
    from django.utils import translation

    code = (translation.get_language() or settings.LANGUAGE_CODE).lower()
    known = [c for c, _name in settings.LANGUAGES]
    return code if code in known else ("zh-hans" if code.startswith("zh") else "en")


LANGUAGE_FIELD = dict(max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)


class WatchList(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="watch_lists"
    )
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch list")
        verbose_name_plural = _("watch lists")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("watch:detail", kwargs={"pk": self.pk})


class WatchItem(models.Model):
    watch_list = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices)
    value = models.CharField(_("value"), max_length=200)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("watched item")
        verbose_name_plural = _("watched items")
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["watch_list", "kind", "value"], name="watchitem_unique")
        ]
        indexes = [models.Index(fields=["kind", "value"], name="watchitem_kind_value")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class Watcher(models.Model):
    """A person who receives a list's alerts (inbox always; email digest if chosen)."""

    watch_list = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="watchers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watching"
    )
    digest = models.CharField(
        _("email digest"), max_length=8, choices=Digest.choices, default=Digest.WEEKLY
    )
    digest_through = models.BigIntegerField(
        _("last alert mailed"), default=0, help_text=_("id of the last alert in a digest")
    )
    digest_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)
    language = models.CharField(_("language of the digest"), **LANGUAGE_FIELD)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("watcher")
        verbose_name_plural = _("watchers")
        constraints = [
            models.UniqueConstraint(fields=["watch_list", "user"], name="watcher_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.watch_list}"


class FeedToken(models.Model):
    """One person's secret feed address for one watch list.

    Personal, so that a person who leaves the organization loses exactly their own address
    (deleted with the membership) and the feed checks, each time it is read, that its person
    still belongs to the list's organization.
    """

    watch_list = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="feed_tokens")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    token = models.CharField(_("feed token"), max_length=64, unique=True, editable=False)
    language = models.CharField(_("language of the feed"), **LANGUAGE_FIELD)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("feed address")
        verbose_name_plural = _("feed addresses")
        constraints = [
            models.UniqueConstraint(fields=["watch_list", "user"], name="feedtoken_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.watch_list} ({self.token[:6]}…)"


class Webhook(models.Model):
    """A receiver of a list's alerts. It acts for the person who added it: when they leave the
    organization it is turned off, and each delivery checks that they still belong to it."""

    watch_list = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="webhooks")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    language = models.CharField(_("language of the summaries"), **LANGUAGE_FIELD)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url


class AlertCursor(models.Model):
    """How far the change events have been turned into alerts.

    `gaps` holds ranges of ids below the cursor that were missing when it moved (a
    transaction still open, on PostgreSQL); they are looked at again for a day.
    """

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alert cursor")
        verbose_name_plural = _("alert cursors")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"


class Notice(models.Model):
    """News that is not a change of the catalog (a new policy for an enterprise's region and
    industry), told by a higher app through `watch.notices.notice_send`: its sentence and a
    short title in each language, and its page on this site. Alerts carry it as they carry a
    change event, so the inbox, feeds, digests and webhooks deliver it the same way."""

    key = models.CharField(_("key"), max_length=120, unique=True)  # "support.policy:17"
    texts = models.JSONField(_("sentence in each language"), default=dict)
    titles = models.JSONField(_("title in each language"), default=dict)
    path = models.CharField(_("page"), max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.key


class Alert(models.Model):
    """One change of the real world that touches one watch list: the outbox row.

    A new edition is several change events (the new standard, the old one's status, the
    relation between them); they share one `change` key (watch.alerts.change_key) and make
    one alert, whose `event` is the one that says the most (the new edition's). An alert about
    something else carries a `notice` instead of an event (and its key as `change`)."""

    watch_list = models.ForeignKey(WatchList, on_delete=models.CASCADE, related_name="alerts")
    event = models.ForeignKey(
        ChangeEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    item = models.ForeignKey(
        WatchItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # NULL for alerts made before changes were grouped (NULLs never collide in the key).
    change = models.CharField(_("change"), max_length=300, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["watch_list", "event"], name="alert_once_per_event"),
            models.UniqueConstraint(fields=["watch_list", "change"], name="alert_once_per_change"),
            models.UniqueConstraint(fields=["watch_list", "notice"], name="alert_once_per_notice"),
            models.CheckConstraint(
                condition=models.Q(event__isnull=False, notice__isnull=True)
                | models.Q(event__isnull=True, notice__isnull=False),
                name="alert_event_or_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.watch_list_id}: {self.event or self.notice}"

    @property
    def happened_at(self):
        """When the change was recorded (or the notice given)."""
        return self.event.created_at if self.event_id else self.notice.created_at


class Notification(models.Model):
    """An alert in a person's in-app inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["user", "alert"], name="notification_once")]

    def __str__(self) -> str:
        return f"{self.user_id}: alert {self.alert_id}"


class DeliveryState(models.TextChoices):
    """The webhook delivery lifecycle (watch.lifecycles.DELIVERY)."""

    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    DELIVERED = "delivered", _("delivered")
    RETRYING = "retrying", _("waiting to be tried again")
    FAILED = "failed", _("failed (gave up)")


class WebhookDelivery(models.Model):
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        _("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "alert"], name="delivery_once")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.state})"


class DeliveryEvent(TransitionEvent):
    """One state change of a webhook delivery. A delivery belongs to its webhook, which its
    owner may delete; its history goes with it."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("webhook delivery"),
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("webhook delivery event")
        verbose_name_plural = _("webhook delivery events")


class WebhookAttempt(ImmutableModel):
    """Every try to deliver, successful or not: the delivery log."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta(ImmutableModel.Meta):
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"delivery {self.delivery_id}, attempt {self.number}"


class DigestMail(ImmutableModel):
    """One digest mail sent to one person: which alerts it carried."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    alert_count = models.PositiveIntegerField(_("alerts"))
    alert_ids = models.JSONField(_("alert ids"), default=list)

    class Meta(ImmutableModel.Meta):
        verbose_name = _("digest mail")
        verbose_name_plural = _("digest mails")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"digest to {self.user_id} ({self.alert_count})"
