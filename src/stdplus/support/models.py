"""Support for enterprises: the policy library."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.display import in_language
from stdplus.core.models import TransitionEvent
from stdplus.core.weblinks import validate_web_url
from stdplus.programme.models import Expert, Region
from stdplus.watch.models import WatchList

from .choices import QuestionState, QuestionTopic


class PolicyStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Not yet in force")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")


class Policy(models.Model):
    """A national, provincial, city or district policy on standardization. Its status follows
    from its dates (in force from `effective_on` until `expires_on`)."""

    title_zh = models.CharField(_("Chinese title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    issuer_zh = models.CharField(_("issuing body (Chinese)"), max_length=200)
    issuer_en = models.CharField(_("issuing body (English)"), max_length=200, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField(_("issued on"), db_index=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("in force until"), null=True, blank=True)
    url = models.URLField(_("link to the official text"), blank=True, validators=[validate_web_url])
    full_text = models.TextField(_("full text"), blank=True)
    summary_zh = models.TextField(_("Chinese summary"), blank=True)
    summary_en = models.TextField(_("English summary"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    industries = models.JSONField(
        _("industries"),
        default=list,
        blank=True,
        help_text=_(
            "GB/T 4754 codes or their first digits the policy is for (empty: every industry)."
        ),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    alerted_at = models.DateTimeField(
        _("enterprises alerted"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the organizations of its region and industry were alerted."),
    )

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("support:policy-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def issuer(self) -> str:
        return in_language(self.issuer_zh, self.issuer_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_zh, self.summary_en)

    def status_on(self, day) -> str:
        if self.effective_on and day < self.effective_on:
            return PolicyStatus.UPCOMING
        if self.expires_on and day > self.expires_on:
            return PolicyStatus.EXPIRED
        return PolicyStatus.IN_FORCE


class PolicyWatch(models.Model):
    """An organization's alerts of new policies for its region and industries: the watch list
    they arrive on (made on first use; each member chooses there how to hear: inbox, mail
    digest, feed, webhook) and the industries it names (GB/T 4754 codes), beside the product
    categories of its public self-declarations."""

    organization = models.OneToOneField(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="policy_watch",
    )
    watch_list = models.OneToOneField(
        WatchList,
        verbose_name=_("watch list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    industries = models.JSONField(
        _("industries"),
        default=list,
        blank=True,
        help_text=_("GB/T 4754 codes of the organization's industries."),
    )
    members_through = models.DateTimeField(
        _("members added up to"),
        null=True,
        blank=True,
        help_text=_("Members who joined before this were put on the list (and may leave it)."),
    )

    class Meta:
        verbose_name = _("policy alerts of an organization")
        verbose_name_plural = _("policy alerts of organizations")

    def __str__(self) -> str:
        return str(self.organization)


class ExpertProfile(models.Model):
    """What an expert of the register says about answering questions: the account they answer
    with, whether they take questions now, and their fields (ICS and CCS classes). Nothing
    here is shown publicly but the expert's name and fields."""

    expert = models.OneToOneField(
        Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="support_profile"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_profile",
    )
    available = models.BooleanField(_("takes questions"), default=True)
    ics = models.JSONField(_("ICS fields"), default=list, blank=True)
    ccs = models.JSONField(_("CCS fields"), default=list, blank=True)

    class Meta:
        verbose_name = _("expert's profile")
        verbose_name_plural = _("experts' profiles")

    def __str__(self) -> str:
        return str(self.expert)


class Question(models.Model):
    """A question an enterprise asks (lifecycle support.lifecycles.QUESTION). A private one is
    seen by its organization's members, the expert who took it and the regulator."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(_("about"), max_length=12, choices=QuestionTopic.choices)
    standard = models.ForeignKey(
        Standard,
        verbose_name=_("standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_questions",
    )
    subject = models.CharField(_("declaration, method or committee"), max_length=200, blank=True)
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    public = models.BooleanField(_("public"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=QuestionState.choices, default=QuestionState.ASKED
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_questions",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=1, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("support:question-detail", args=[self.pk])


class QuestionEvent(TransitionEvent):
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="events", verbose_name=_("question")
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("question event")
        verbose_name_plural = _("question events")


class Course(models.Model):
    """A standardization course of the training base."""

    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=40, blank=True)
    language = models.CharField(_("language of teaching"), max_length=20, default="zh-hans")
    hours = models.PositiveSmallIntegerField(_("learning hours"))
    teachers = models.ManyToManyField(
        Expert, verbose_name=_("teachers"), blank=True, related_name="+"
    )
    standards = models.ManyToManyField(
        Standard, verbose_name=_("standards"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title_zh"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)


class Session(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveIntegerField(_("places"))
    waiting_places = models.PositiveIntegerField(_("places on the waiting list"), default=10)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.course} · {self.starts_on:%Y-%m-%d}"


class Enrollment(models.Model):
    """A person's place in a session (or on its waiting list), their attendance, and the hours."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="enrollments"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="training_enrollments",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waiting = models.BooleanField(_("on the waiting list"), default=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    attended_on = models.DateField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=models.Q(cancelled=False),
                name="enrollment_once_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.session}"


class Certificate(models.Model):
    """A certificate of a completed course; its code is signed (HMAC with a key derived from the
    SECRET_KEY), so anyone can check it and a forged or altered code is refused."""

    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("enrollment"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    course_title = models.CharField(_("course"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("learning hours"))
    issued_on = models.DateField(_("issued on"))
    code = models.CharField(_("verification code"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.code
