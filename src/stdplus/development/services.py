"""Writes of standards development. Each service checks, then writes, atomically; a refusal is
an `ApplicationError` naming the field, and writes nothing. States change only through the
lifecycles (`lifecycles.py`, `transition_apply`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.catalog.services import RelationIn, StandardIn, standards_import
from stdplus.catalog.services.edits import standard_update
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.jobs import job_submit
from stdplus.core.lifecycle import is_person, transition_start
from stdplus.core.models import Job
from stdplus.core.values import text_value
from stdplus.declarations.files import text_read
from stdplus.programme.choices import IssuerKind, ParticipationRole
from stdplus.programme.models import Expert, IssuerCode, Participation

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
from .clauses import clauses_parse
from .dispositions import (
    PRINT_LANGUAGES,
    disposition_fingerprint,
    print_failed,
    print_language,
    print_waiting,
)
from .models import (
    Ballot,
    Clause,
    Comment,
    DispositionPrint,
    DraftingOrganization,
    DraftVersion,
    PanelSeat,
    Project,
    ProjectDocument,
    Vote,
)
from .rules import PASS_RULES, review_due_from
from .selectors import (
    accepts_comments,
    comment_draft,
    current_ballot,
    is_approver,
    is_drafter,
    is_officer,
)

SOURCE = "development"

# ----------------------------------------------------------------------------------------------
# Checks shared by the services


def _refuse(message, *, code: str, field: str = "", status: int = 400, **params):
    return ApplicationError(
        message, params=params, where=Where(field=field), code=code, status=status
    )


def _officer(user, project: Project) -> None:
    if not is_officer(user, project):
        raise _refuse(
            _("Only the secretariat's or department's officers may do this."),
            code="not_an_officer",
            status=403,
        )


def site_url(path: str) -> str:
    return getattr(settings, "STDPLUS_SITE_URL", "").rstrip("/") + path


# ----------------------------------------------------------------------------------------------
# Projects


@transaction.atomic
def project_create(
    *,
    user,
    owner: Organization,
    kind: str,
    values: dict[str, Any],
    revises: Standard | None = None,
    demo: bool = False,
) -> Project:
    """A proposal. Anyone with an account may propose; the owner (the department leading a
    local standard, the association running a group standard) approves."""
    if not is_person(user):
        raise _refuse(_("Sign in to propose a standard."), code="sign_in", status=403)
    if kind not in Kind.values:
        raise _refuse(
            _("“%(value)s” is not a kind of project."), code="bad_kind", field="kind", value=kind
        )
    title_zh = text_value(values, "title_zh", _("Chinese title"), max_length=300)
    title_en = text_value(values, "title_en", _("English title"), max_length=300)
    if not title_zh and not title_en:
        raise _refuse(
            _("Give the standard a title (Chinese or English)."), code="required", field="title_zh"
        )
    scope = text_value(values, "scope", _("scope"), max_length=4000)
    if revises is not None and revises.level != kind:
        raise _refuse(
            _("%(standard)s is not a %(kind)s: a revision stays at its level."),
            code="wrong_level",
            field="revises",
            standard=revises.canonical,
            kind=Kind(kind).label.lower(),
        )
    project = Project.objects.create(
        kind=kind,
        nature=Nature.REVISION if revises is not None else Nature.NEW,
        title_zh=title_zh,
        title_en=title_en,
        scope=scope,
        owner=owner,
        revises=revises,
        proposed_by=user,
        proposer_name=text_value(values, "proposer_name", _("proposer"), max_length=200)
        or user.get_username(),
        pass_rule=values.get("pass_rule") or "three_quarters_present",
        demo=demo,
    )
    if project.pass_rule not in PASS_RULES:
        raise _refuse(
            _("“%(value)s” is not a pass rule."),
            code="bad_rule",
            field="pass_rule",
            value=project.pass_rule,
        )
    transition_start(project, actor=user)
    return project


@transaction.atomic
def drafter_add(*, project: Project, user, organization: Organization, lead: bool) -> None:
    _officer(user, project)
    if project.state not in (State.APPROVED, State.DRAFTING, State.PROPOSED):
        raise _refuse(
            _("Drafting organizations are named before public comment."),
            code="too_late",
            status=409,
        )
    if lead:
        project.drafters.update(is_lead=False)
    DraftingOrganization.objects.update_or_create(
        project=project, organization=organization, defaults={"is_lead": lead}
    )
    seats_recheck(project)


def seats_recheck(project: Project) -> None:
    """A panel member from a drafting organization has a conflict of interest: excluded."""
    drafting = set(project.drafters.values_list("organization_id", flat=True))
    for seat in project.panel.select_related("expert"):
        conflict = seat.expert.organization_id in drafting
        # The drafting organization's id: the pages and messages word the reason.
        reason = str(seat.expert.organization_id) if conflict else ""
        if seat.excluded != conflict or seat.exclusion_reason != reason:
            seat.excluded, seat.exclusion_reason = conflict, reason
            seat.save(update_fields=["excluded", "exclusion_reason"])


def conflict_reason(seat: PanelSeat) -> str:
    """Why a panel member is excluded, in the reader's language."""
    if not seat.excluded:
        return ""
    return str(_("works for a drafting organization (%(organization)s)")) % {
        "organization": seat.expert.organization
    }


@transaction.atomic
def document_add(*, project: Project, user, kind: str, upload, public: bool = True):
    """Evidence of a step: proposers add their proposal, officers anything."""
    if kind not in DocumentKind.values:
        raise _refuse(
            _("“%(value)s” is not a kind of document."), code="bad_kind", field="kind", value=kind
        )
    proposer = (
        is_person(user) and project.proposed_by_id == user.pk and kind == DocumentKind.PROPOSAL
    )
    if not (proposer or is_officer(user, project)):
        raise _refuse(
            _("Only the proposer or the officers may add documents."),
            code="not_allowed",
            status=403,
        )
    stored = text_read(upload, field="file")
    return ProjectDocument.objects.create(
        project=project,
        kind=kind,
        state=project.state,
        public=public,
        data=stored.data,
        name=stored.name,
        file_type=stored.kind,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=user,
    )


@transaction.atomic
def draft_add(*, project: Project, user, text: str, upload=None, label: str = "") -> DraftVersion:
    """A new version of the draft: its text as clauses, and its file (PDF or DOCX) if given."""
    if not (is_officer(user, project) or is_drafter(user, project)):
        raise _refuse(
            _("Only the drafting organizations and the officers may upload drafts."),
            code="not_allowed",
            status=403,
        )
    if project.state not in (State.DRAFTING, State.HANDLING, State.REVIEW):
        raise _refuse(
            _("A new version of the draft is made while drafting, handling comments or in review."),
            code="not_drafting",
            status=409,
        )
    parsed = clauses_parse(text)
    stored = text_read(upload, field="file") if upload is not None else None
    locked = Project.objects.select_for_update().get(pk=project.pk)
    number = (locked.versions.aggregate(top=Max("version"))["top"] or 0) + 1
    draft = DraftVersion.objects.create(
        project=locked,
        version=number,
        label=label[:100],
        uploaded_by=user,
        data=stored.data if stored else None,
        file_name=stored.name if stored else "",
        file_type=stored.kind if stored else "",
        file_size=stored.size if stored else None,
        sha256=stored.sha256 if stored else "",
    )
    Clause.objects.bulk_create(
        Clause(draft=draft, ref=c.ref, order=i, heading=c.heading, text=c.text)
        for i, c in enumerate(parsed)
    )
    return draft


@transaction.atomic
def group_code_register(*, organization: Organization, code: str, user) -> IssuerCode:
    """An association's group code (T/<code>), unique among groups."""
    if not (is_person(user) and (user.is_staff or user.has_perm("programme.keep_register"))):
        raise _refuse(
            _("Only the register's keepers may register group codes."),
            code="not_allowed",
            status=403,
        )
    code = code.strip().upper().removeprefix("T/")
    if not code.isalnum() or not 2 <= len(code) <= 20:
        raise _refuse(
            _("“%(text)s” is not a group code: 2 to 20 letters or digits."),
            code="bad_code",
            field="code",
            text=code,
        )
    # The register keeps a group's code as its catalog body ("T/SZAS"); older rows without
    # the "T/" count as the same code.
    taken = (
        IssuerCode.objects.filter(Q(code__iexact=f"T/{code}") | Q(code__iexact=code))
        .exclude(organization=organization)
        .first()
    )
    if taken is not None:
        raise _refuse(
            _("The group code %(text)s belongs to %(organization)s already."),
            code="code_taken",
            field="code",
            text=code,
            organization=str(taken.organization),
        )
    row, _created = IssuerCode.objects.get_or_create(
        code=f"T/{code}", defaults={"kind": IssuerKind.GROUP, "organization": organization}
    )
    return row


# ----------------------------------------------------------------------------------------------
# Public comment


COMMENT_LIMITS = {"text": 5000, "proposed_change": 5000, "reason": 3000}


def _closed_error(project: Project) -> ApplicationError:
    return ApplicationError(
        _(
            "Public comment on this draft is closed: comments are taken from %(opens)s to %(closes)s."
        ),
        params={
            "opens": project.comment_opens.isoformat() if project.comment_opens else "—",
            "closes": project.comment_closes.isoformat() if project.comment_closes else "—",
        },
        code="comment_closed",
        status=409,
    )


def _comment_values(draft: DraftVersion, values: dict) -> dict:
    ref = text_value(values, "clause", _("clause"), max_length=40)
    clause = None
    if ref:
        clause = draft.clauses.filter(ref=ref).first()
        if clause is None:
            raise _refuse(
                _("The draft has no clause %(ref)s."),
                code="unknown_clause",
                field="clause",
                ref=ref,
            )
    kind = str(values.get("type") or "").strip()
    if kind not in CommentType.values:
        raise _refuse(
            _("Choose the type of comment: general, technical or editorial."),
            code="bad_type",
            field="type",
        )
    return {
        "clause": clause,
        "clause_ref": clause.ref if clause else "",
        "type": kind,
        "text": text_value(
            values,
            "text",
            pgettext_lazy("draft comment", "comment"),
            max_length=COMMENT_LIMITS["text"],
            required=True,
        ),
        "proposed_change": text_value(
            values, "proposed_change", _("proposed change"), max_length=5000
        ),
        "reason": text_value(values, "reason", _("reason"), max_length=3000),
        "element": text_value(values, "element", _("paragraph, figure or table"), max_length=100),
        "line": text_value(values, "line", _("line"), max_length=20),
    }


@transaction.atomic
def comment_submit(*, project: Project, user, values: dict, language: str = "") -> Comment:
    """A comment on the draft in public comment. A member's counts at once; anyone else's
    once the email address is confirmed (the link in the mail sent)."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not accepts_comments(locked):
        raise _closed_error(locked)
    draft = comment_draft(locked)
    if draft is None:
        raise _closed_error(locked)
    clean = _comment_values(draft, values)
    if is_person(user):
        name = user.get_full_name() or user.get_username()
        comment = Comment.objects.create(
            project=locked,
            draft=draft,
            author=user,
            author_name=name[:200],
            member_body=text_value(values, "member_body", _("organization"), max_length=200),
            email=user.email or "",
            confirmed=True,
            language=language[:10],
            **clean,
        )
        return comment
    name = text_value(
        values, "name", pgettext_lazy("person", "name"), max_length=200, required=True
    )
    email = text_value(values, "email", _("email"), max_length=254, required=True)
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        validate_email(email)
    except ValidationError:
        raise _refuse(
            _("“%(email)s” is not an email address."), code="bad_email", field="email", email=email
        ) from None
    comment = Comment.objects.create(
        project=locked,
        draft=draft,
        author_name=name,
        member_body=text_value(values, "member_body", _("organization"), max_length=200),
        email=email,
        confirmed=False,
        language=language[:10],
        **clean,
    )
    link = site_url(reverse("development:comment-confirm", args=[comment.token]))
    _mail_later(
        email,
        "comment_confirm",
        {"project": locked, "comment": comment, "link": link},
        language,
    )
    return comment


def _mail_later(address: str, template: str, context: dict, language: str) -> None:
    """Send a mail in the reader's language once the transaction commits."""

    def send():
        with translation.override(language or settings.LANGUAGE_CODE):
            subject = render_to_string(f"development/mail/{template}_subject.txt", context).strip()
            body = render_to_string(f"development/mail/{template}.txt", context)
        send_mail(subject, body, None, [address])

    transaction.on_commit(send)


@transaction.atomic
def comment_confirm(*, token: str) -> Comment:
    comment = Comment.objects.select_related("project").filter(token=token).first()
    if comment is None:
        raise _refuse(_("This confirmation link is not valid."), code="bad_token", status=404)
    if comment.confirmed:
        return comment
    if not accepts_comments(comment.project):
        raise _closed_error(comment.project)
    comment.confirmed = True
    comment.save(update_fields=["confirmed"])
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, user, values: dict) -> Comment:
    """The author changes the comment, while the period is open; nobody edits it afterwards."""
    if not (is_person(user) and comment.author_id == user.pk):
        raise _refuse(_("Only the commenter may change a comment."), code="not_yours", status=403)
    project = Project.objects.select_for_update().get(pk=comment.project_id)
    if comment.source != CommentSource.PUBLIC or not accepts_comments(project):
        raise ApplicationError(
            _("The comment period has closed: comments are no longer changed."),
            code="comment_closed",
            status=409,
        )
    clean = _comment_values(comment.draft, values)
    for name, value in clean.items():
        setattr(comment, name, value)
    comment.save()
    return comment


def _decision(value: str, *, field: str = "disposition") -> str:
    value = (value or "").strip()
    for code, label in Disposition.choices:
        if value.lower() in (code, str(label).lower()):
            return code
        for language in ("en", "zh-hans"):
            with translation.override(language):
                if value.lower() == str(label).lower():
                    return code
    raise _refuse(
        _("“%(value)s” is not a decision (accepted, accepted in part, noted, not accepted)."),
        code="bad_decision",
        field=field,
        value=value,
    )


def _decidable(comment: Comment, user) -> None:
    project = Project.objects.get(pk=comment.project_id)  # its state now, not a copy's
    _officer(user, project)
    wanted = State.HANDLING if comment.source == CommentSource.PUBLIC else State.REVIEW
    if project.state != wanted:
        raise ApplicationError(
            _("Comments are decided while the project is in “%(state)s”."),
            params={"state": State(wanted).label},
            code="not_deciding",
            status=409,
        )


@transaction.atomic
def comment_decide(*, comment: Comment, user, disposition: str, reason: str) -> Comment:
    _decidable(comment, user)
    code = _decision(disposition)
    reason = text_value(
        {"reason": reason}, "reason", _("reason for the decision"), max_length=3000, required=True
    )
    comment.disposition, comment.disposition_reason = code, reason
    comment.disposed_by, comment.disposed_at = user, timezone.now()
    comment.save(update_fields=["disposition", "disposition_reason", "disposed_by", "disposed_at"])
    return comment


def dispositions_notify(project: Project) -> int:
    """Tell each commenter the decision on their comment (by mail, once), with a link to say
    whether they are satisfied."""
    told = 0
    now = timezone.now()
    pending = Comment.objects.filter(
        project=project, confirmed=True, notified_at__isnull=True, source=CommentSource.PUBLIC
    ).exclude(disposition="")
    for comment in pending.select_related("author"):
        address = comment.email or (comment.author.email if comment.author else "")
        if address:
            link = site_url(reverse("development:comment-answer", args=[comment.token]))
            _mail_later(
                address,
                "comment_decided",
                {"project": project, "comment": comment, "link": link},
                comment.language,
            )
            told += 1
    pending.update(notified_at=now)
    return told


@transaction.atomic
def dispositions_print_submit(
    project: Project, *, languages=None, retry: bool = False
) -> list[DispositionPrint]:
    """Ask for the comment summary and disposition table printed as PDF, as it stands, in each
    language (both by default): one background job per language (`tasks.PRINT_JOB`), unless
    that print is made or on its way. A print whose job failed is asked for again only with
    `retry` (an officer's request); one whose job ended without printing (the table had
    changed meanwhile) is asked for again. Returns the prints, in the order of `languages`."""
    from .tasks import PRINT_JOB  # (the job's module registers it, in the web process too)

    draft = comment_draft(project)
    if draft is None:
        return []
    fingerprint = disposition_fingerprint(project, draft)
    prints = (
        DispositionPrint.objects.select_related("job").defer("data").select_for_update(of=("self",))
    )
    made = []
    for language in dict.fromkeys(print_language(x) for x in (languages or PRINT_LANGUAGES)):
        key = {"project": project, "language": language, "fingerprint": fingerprint}
        row = prints.filter(**key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = DispositionPrint.objects.create(draft=draft, **key)
            except IntegrityError:  # asked for at the same moment by another request
                row = prints.get(**key)
        if not (row.printed or print_waiting(row) or (print_failed(row) and not retry)):
            job_key = f"{PRINT_JOB}:{row.pk}"
            if row.job_id is not None or Job.objects.filter(key=job_key).exists():
                job_key += f":{uuid.uuid4().hex}"  # asked again: a job of its own
            row.job = job_submit(
                name=PRINT_JOB, key=job_key, params={"print_id": row.pk, "language": language}
            )
            row.save(update_fields=["job"])
        made.append(row)
    return made


@transaction.atomic
def comment_answer(*, token: str, satisfied: bool, note: str = "") -> Comment:
    comment = Comment.objects.filter(token=token, confirmed=True).first()
    if comment is None or not comment.disposition or comment.notified_at is None:
        raise _refuse(_("This link is not valid."), code="bad_token", status=404)
    if comment.satisfied is not None:
        raise _refuse(_("You have answered already."), code="answered", status=409)
    comment.satisfied = satisfied
    comment.satisfaction_note = text_value({"note": note}, "note", _("answer"), max_length=2000)
    comment.save(update_fields=["satisfied", "satisfaction_note"])
    return comment


# ----------------------------------------------------------------------------------------------
# Expert panel and ballots


@transaction.atomic
def panel_add(*, project: Project, user, expert: Expert, account=None) -> PanelSeat:
    _officer(user, project)
    if project.state in (State.PUBLISHED, State.FILED, State.TERMINATED, State.ABOLISHED):
        raise _refuse(_("The panel is named before publication."), code="too_late", status=409)
    seat, _created = PanelSeat.objects.get_or_create(
        project=project, expert=expert, defaults={"user": account}
    )
    if account is not None and seat.user_id != account.pk:
        seat.user = account
        seat.save(update_fields=["user"])
    seats_recheck(project)
    seat.refresh_from_db()
    return seat


def ballot_open(project: Project) -> Ballot:
    project.ballots.filter(closed_at__isnull=True).update(closed_at=timezone.now())
    number = (project.ballots.aggregate(top=Max("round"))["top"] or 0) + 1
    return Ballot.objects.create(project=project, round=number, pass_rule=project.pass_rule)


def ballot_close(ballot: Ballot) -> None:
    if ballot.closed_at is None:
        ballot.closed_at = timezone.now()
        ballot.save(update_fields=["closed_at"])


@transaction.atomic
def vote_cast(
    *, project: Project, user, position: str, comment: str = "", seat: PanelSeat | None = None
) -> Vote:
    """A panel member's position (or an officer recording a member's position)."""
    ballot = current_ballot(project)
    if project.state != State.REVIEW or ballot is None:
        raise ApplicationError(
            _("No ballot is open on this project."), code="no_ballot", status=409
        )
    own = project.panel.filter(user=user).first() if is_person(user) else None
    if seat is None or (own is not None and seat.pk == own.pk):
        seat = own
    elif not is_officer(user, project) or seat.project_id != project.pk:
        seat = None
    if seat is None:
        raise ApplicationError(
            _("Only the members of the expert panel vote on this project."),
            code="not_on_panel",
            status=403,
        )
    if seat.excluded:
        raise ApplicationError(
            _("%(expert)s may not vote: %(reason)s."),
            params={"expert": str(seat.expert), "reason": conflict_reason(seat)},
            code="conflict_of_interest",
            status=403,
        )
    if position not in Position.values:
        raise _refuse(_("Choose a position."), code="bad_position", field="position")
    comment = text_value({"comment": comment}, "comment", _("comments or reasons"), max_length=5000)
    if position in (Position.DISAPPROVE, Position.APPROVE_COMMENTS) and not comment:
        raise _refuse(
            _("“%(position)s” needs the comments or reasons."),
            code="reasons_required",
            field="comment",
            position=Position(position).label,
        )
    vote = Vote.objects.filter(ballot=ballot, seat=seat).first() or Vote(ballot=ballot, seat=seat)
    vote.position, vote.comment, vote.recorded_by = position, comment, user
    if comment:
        draft = comment_draft(project)
        review = vote.review_comment or Comment(
            project=project,
            draft=draft,
            source=CommentSource.REVIEW,
            type=CommentType.TECHNICAL,
            author=seat.user,
            author_name=str(seat.expert)[:200],
            confirmed=True,
        )
        review.text = comment
        review.disposition = review.disposition if review.pk and review.text == comment else ""
        review.save()
        vote.review_comment = review
    vote.save()
    return vote


# ----------------------------------------------------------------------------------------------
# Publication into the catalog, and the periodic review


def standard_publish(project: Project, *, number: str, published: dt.date, effective: dt.date):
    """The standard enters the catalog through the catalog's write path (an import of one
    record): titles, dates, drafting organizations, and "replaces" for a revision. The search
    index follows (the catalog's hook), the alerts and statistics read its change events."""
    drafters = list(project.drafters.select_related("organization"))
    relations = [RelationIn("replaces", project.revises.canonical)] if project.revises_id else []
    record = StandardIn(
        identifier=number,
        title_zh=project.title_zh,
        title_en=project.title_en,
        scope=project.scope[:4000],
        status_word="current",
        published=published,
        effective=effective,
        committee=str(project.owner)[:200],
        drafting_organizations=[d.organization.name_zh or d.organization.name_en for d in drafters],
        source_id=f"project-{project.pk}",
        url=site_url(project.get_absolute_url()),
        level=project.kind,
        relations=relations,
    )
    result = standards_import(
        records=[record], source=SOURCE, path=f"development project {project.pk}"
    )
    if result.errors:
        raise ApplicationError(
            _("The catalog refused the standard: %(errors)s"),
            params={"errors": "; ".join(result.errors)},
            code="catalog_refused",
        )
    edition = Standard.objects.get(canonical=number)
    for drafter in drafters:
        if not Participation.objects.filter(
            organization=drafter.organization, standard=edition, archived_at__isnull=True
        ).exists():
            Participation.objects.create(
                organization=drafter.organization,
                standard=edition,
                role=ParticipationRole.LEAD if drafter.is_lead else ParticipationRole.DRAFTER,
                note=f"development project {project.pk}",
                demo=project.demo,
            )
    project.standard = edition
    project.review_due = review_due_from(published, project.kind)
    return edition


def review_confirm(project: Project, *, on: dt.date) -> dict:
    project.review_due = review_due_from(on, project.kind)
    if project.standard_id:
        standard_update(standard=project.standard, changes={"confirmed": on}, source=SOURCE)
    return {"next_review_due": project.review_due.isoformat()}


def standard_abolish(project: Project, *, on: dt.date) -> dict:
    if project.standard_id:
        standard_update(
            standard=project.standard,
            changes={"withdrawn": on, "source_status": "withdrawn"},
            source=SOURCE,
        )
    project.review_due = None
    return {"withdrawn": on.isoformat()}


@transaction.atomic
def revision_start(*, project: Project, user) -> Project:
    """After a periodic review concluded "revise": a new project revising the standard."""
    if project.state != State.REVISING or project.standard is None:
        raise ApplicationError(
            _("A revision starts after a periodic review concluded “revise”."),
            code="not_revising",
            status=409,
        )
    if not (is_officer(user, project) or is_approver(user, project)):
        raise _refuse(
            _("Only the secretariat's or department's officers may do this."),
            code="not_an_officer",
            status=403,
        )
    return project_create(
        user=user,
        owner=project.owner,
        kind=project.kind,
        values={
            "title_zh": project.title_zh,
            "title_en": project.title_en,
            "scope": project.scope,
            "pass_rule": project.pass_rule,
        },
        revises=project.standard,
    )


# ----------------------------------------------------------------------------------------------
# The daily run: comment periods over, reviews falling due, reminders


def development_daily(on: dt.date | None = None) -> dict:
    from stdplus.core.lifecycle import transition_apply

    from .reminders import reminders_send

    on = on or today()
    closed = opened = 0
    for project in Project.objects.filter(state=State.COMMENT, comment_closes__lt=on):
        transition_apply(project, "close_comment", actor=None, on=on, note="")
        closed += 1
    from .rules import rules_for

    for project in Project.objects.filter(
        state__in=(State.PUBLISHED, State.FILED), review_due__isnull=False
    ):
        in_force = State.FILED if project.kind == Kind.LOCAL else State.PUBLISHED
        notice = dt.timedelta(days=rules_for(project.kind).review_notice_days)
        if project.state == in_force and project.review_due - notice <= on:
            transition_apply(project, "open_review", actor=None, on=on)
            opened += 1
    sent = reminders_send(on)
    return {"closed": closed, "reviews_opened": opened, "reminders": sent}
