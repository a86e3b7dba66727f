"""Standards development projects (local and group standards), from proposal to periodic review.

A project's state changes only through its lifecycle (`lifecycles.py`, one table per kind);
each step is an immutable `ProjectEvent`. Drafts are versions with their uploaded file (stored,
never run) and their text as clauses, which public comments anchor to. Ballots count the
positions of an expert panel drawn from the programme's register of experts.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.display import in_language
from stdplus.core.models import TransitionEvent
from stdplus.programme.models import Expert

from .choices import (
    CommentSource,
    CommentType,
    Disposition,
    DocumentKind,
    Kind,
    Nature,
    Position,
    State,
)
from .rules import PASS_RULE_CHOICES


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Project(models.Model):
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, db_index=True)
    nature = models.CharField(_("new or revision"), max_length=10, choices=Nature.choices)
    title_zh = models.CharField(_("Chinese title"), max_length=300, blank=True)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("responsible department or secretariat"),
        on_delete=models.PROTECT,
        related_name="development_projects",
    )
    revises = models.ForeignKey(
        Standard,
        verbose_name=_("revises"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposer_name = models.CharField(_("proposer"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    state_since = models.DateField(_("in this state since"), null=True, blank=True)
    plan_number = models.CharField(_("plan number"), max_length=60, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    comment_opens = models.DateField(_("comment opens"), null=True, blank=True)
    comment_closes = models.DateField(_("comment closes"), null=True, blank=True, db_index=True)
    pass_rule = models.CharField(
        _("pass rule"), max_length=30, choices=PASS_RULE_CHOICES, default="three_quarters_present"
    )
    number = models.CharField(_("number"), max_length=60, blank=True, db_index=True)
    published_on = models.DateField(_("published"), null=True, blank=True)
    effective_on = models.DateField(_("effective"), null=True, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=60, blank=True)
    review_due = models.DateField(_("periodic review due"), null=True, blank=True, db_index=True)
    standard = models.ForeignKey(
        Standard,
        verbose_name=_("published edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="development_projects",
    )
    demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("development project")
        verbose_name_plural = _("development projects")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["owner", "state"], name="project_owner_state")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("development:project", args=[self.pk])

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)


class ProjectEvent(TransitionEvent):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="events")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("development project event")
        verbose_name_plural = _("development project events")


class DraftingOrganization(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="drafters")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("lead"), default=False)

    class Meta:
        verbose_name = _("drafting organization")
        verbose_name_plural = _("drafting organizations")
        ordering = ["-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organization"], name="drafter_once"),
        ]

    def __str__(self) -> str:
        return str(self.organization)


class ProjectDocument(models.Model):
    """Evidence of a step: a file stored as uploaded (PDF or DOCX), served only as a download."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=14, choices=DocumentKind.choices)
    state = models.CharField(_("at the state"), max_length=12, choices=State.choices)
    public = models.BooleanField(_("public"), default=True)
    data = models.BinaryField(_("file"), editable=False)
    name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("file type"), max_length=8)
    size = models.PositiveIntegerField(_("file size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class DraftVersion(models.Model):
    """One version of the draft: its file (optional) and its text as clauses."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    data = models.BinaryField(_("file"), null=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_type = models.CharField(_("file type"), max_length=8, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["project", "version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="draft_version_once"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class Clause(models.Model):
    draft = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="clauses")
    ref = models.CharField(_("clause"), max_length=40)
    order = models.PositiveIntegerField()
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["draft", "order"]
        constraints = [models.UniqueConstraint(fields=["draft", "ref"], name="clause_once")]

    def __str__(self) -> str:
        return self.ref


class Comment(models.Model):
    """A comment on a draft (public comment, or a panel member's at the technical review).

    Members comment under their account; anyone else after confirming an email address (the
    comment counts once confirmed). Nobody edits a comment once the period has closed.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="comments")
    draft = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="comments")
    source = models.CharField(
        _("source"), max_length=8, choices=CommentSource.choices, default=CommentSource.PUBLIC
    )
    clause = models.ForeignKey(
        Clause,
        verbose_name=_("clause"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    clause_ref = models.CharField(_("clause"), max_length=40, blank=True)
    element = models.CharField(_("paragraph, figure or table"), max_length=100, blank=True)
    line = models.CharField(_("line"), max_length=20, blank=True)
    type = models.CharField(_("type"), max_length=2, choices=CommentType.choices)
    text = models.TextField(pgettext_lazy("draft comment", "comment"))
    proposed_change = models.TextField(_("proposed change"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField(_("commenter"), max_length=200)
    member_body = models.CharField(_("organization"), max_length=200, blank=True)
    email = models.EmailField(_("email (private)"), blank=True)
    confirmed = models.BooleanField(
        pgettext_lazy("state", "confirmed"), default=False, db_index=True
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    disposition = models.CharField(
        _("decision"), max_length=10, choices=Disposition.choices, blank=True
    )
    disposition_reason = models.TextField(_("reason for the decision"), blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disposed_at = models.DateTimeField(_("decided"), null=True, blank=True)
    notified_at = models.DateTimeField(_("commenter told"), null=True, blank=True)
    satisfied = models.BooleanField(_("commenter satisfied"), null=True, blank=True)
    satisfaction_note = models.TextField(_("commenter's answer"), blank=True)

    class Meta:
        verbose_name = pgettext_lazy("draft comment", "comment")
        verbose_name_plural = _("comments")
        ordering = ["draft", "pk"]
        indexes = [
            models.Index(fields=["draft", "confirmed", "id"], name="comment_draft_confirmed"),
            models.Index(fields=["project", "source", "confirmed"], name="comment_project"),
        ]

    def __str__(self) -> str:
        return f"{self.clause_ref or '—'}: {self.text[:40]}"


class DispositionPrint(models.Model):
    """The comment summary and disposition table printed as PDF, in one language, for one state
    of the table (`fingerprint`: a digest of everything it prints, `dispositions.
    disposition_fingerprint`). A background job prints it (`tasks.disposition_print_job`) and
    stores its bytes here; `views.dispositions_pdf_file` serves it, under
    `selectors.dispositions_readable`, while the table still has that fingerprint, and never
    prints in the request. A row without `data` is a print asked for: `job` is the latest job
    submitted for it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="disposition_prints"
    )
    draft = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("language"), max_length=10)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.BinaryField(_("file"), null=True, editable=False)
    size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("printed disposition table")
        verbose_name_plural = _("printed disposition tables")
        ordering = ["project", "language", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "language", "fingerprint"], name="disposition_print_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.language} {self.fingerprint[:12]}"

    @property
    def printed(self) -> bool:
        return self.printed_at is not None


class PanelSeat(models.Model):
    """An expert of the register on a project's review panel; a conflict of interest (the
    expert works for a drafting organization) excludes them from voting."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="panel")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    excluded = models.BooleanField(_("excluded (conflict of interest)"), default=False)
    exclusion_reason = models.CharField(_("why excluded"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("panel seat")
        verbose_name_plural = _("panel seats")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["project", "expert"], name="seat_once")]

    def __str__(self) -> str:
        return str(self.expert)

    @property
    def conflict(self) -> str:
        """Why the member is excluded, in the reader's language."""
        from .services import conflict_reason

        return conflict_reason(self)


class Ballot(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ballots")
    round = models.PositiveSmallIntegerField(pgettext_lazy("comment round", "round"), default=1)
    pass_rule = models.CharField(_("pass rule"), max_length=30, choices=PASS_RULE_CHOICES)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["project", "round"]
        constraints = [models.UniqueConstraint(fields=["project", "round"], name="ballot_once")]

    def __str__(self) -> str:
        return f"{self.project_id} #{self.round}"


class Vote(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    seat = models.ForeignKey(PanelSeat, on_delete=models.PROTECT, related_name="votes")
    position = models.CharField(
        pgettext_lazy("vote", "position"), max_length=16, choices=Position.choices
    )
    comment = models.TextField(_("comments or reasons"), blank=True)
    review_comment = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["ballot", "seat"], name="vote_once")]

    def __str__(self) -> str:
        return f"{self.seat}: {self.position}"


class Reminder(models.Model):
    """A reminder in a person's development inbox (also mailed): one per person, project and
    reason a day at most."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="development_reminders"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reminders")
    reason = models.CharField(_("reason"), max_length=20)
    due = models.DateField(_("due"), null=True, blank=True)
    created_on = models.DateField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project", "reason", "created_on"], name="reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reason} {self.project_id}"
