"""Development pages: projects (public from approval on), drafts open for comment (a list, an
Atom feed, a page per draft with its clauses, comments and the comment form), the comparison
of two versions, the disposition table, the officers' dashboard and work forms."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stdplus.accounts.models import Organization
from stdplus.accounts.selectors import organization_ids_for
from stdplus.catalog.selectors import standard_resolve
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError
from stdplus.core.jobs import job_progress_get
from stdplus.core.lifecycle_ui import lifecycle_context, lifecycle_post
from stdplus.core.throttling import AddressThrottle
from stdplus.core.twins import json_twin, list_twin
from stdplus.declarations.files import CONTENT_TYPES
from stdplus.programme.models import Expert

from .choices import CommentType, Disposition, DocumentKind, Kind, Position, State
from .clauses import clauses_compare
from .dispositions import (
    disposition_print_data,
    disposition_print_find,
    print_failed,
    print_language,
    print_needs_job,
    print_waiting,
)
from .models import Comment, DraftVersion, PanelSeat, Project, ProjectDocument
from .rules import PASS_RULE_CHOICES
from .selectors import (
    DISPOSITIONS_UNPUBLISHED,
    accepts_comments,
    ballot_result,
    can_see,
    comment_draft,
    current_ballot,
    dashboard_for,
    disposition_counts,
    dispositions_readable,
    draft_comments,
    is_officer,
    is_public,
    last_ballot,
    open_for_comment,
    project_for_reader,
    projects_search,
)
from .services import (
    comment_answer,
    comment_confirm,
    comment_decide,
    comment_submit,
    dispositions_print_submit,
    document_add,
    draft_add,
    drafter_add,
    panel_add,
    project_create,
    vote_cast,
)
from .sheets import comments_export, comments_import, disposition_table

PAGE = 50


def _fail(request, error: ApplicationError) -> None:
    where = error.where.describe()
    messages.error(request, f"{where}: {error.message}" if where else error.message)


def _project(request, pk: int) -> Project:
    project = project_for_reader(request.user, pk)
    if project is None:
        raise Http404("no such project, or not public")
    return project


def _file(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_GET
@json_twin(list_twin("api:development_projects", page_size=PAGE, keep=("kind", "state", "q")))
def index(request):
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else ""
    state = request.GET.get("state", "") if request.GET.get("state", "") in State.values else ""
    q = request.GET.get("q", "")[:100]
    page = Paginator(projects_search(kind=kind, state=state, q=q), PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "kind": kind,
        "state": state,
        "q": q,
        "kinds": Kind.choices,
        "states": State.choices,
    }
    return render(request, "development/index.html", context)


@require_GET
@json_twin("api:development_open")
def open_drafts(request):
    on = today()
    drafts = [
        {"project": p, "days_left": (p.comment_closes - on).days} for p in open_for_comment(on)
    ]
    return render(request, "development/open.html", {"drafts": drafts})


class OpenDraftsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Drafts open for comment")

    def link(self):
        return reverse("development:open")

    def items(self):
        return list(open_for_comment()[:100])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _("Public comment from %(opens)s to %(closes)s.") % {
            "opens": item.comment_opens,
            "closes": item.comment_closes,
        }

    def item_link(self, item):
        draft = comment_draft(item)
        return reverse("development:draft", args=[item.pk, draft.version if draft else 1])


open_feed = OpenDraftsFeed()


def _project_context(request, project: Project) -> dict:
    user = request.user
    officer = is_officer(user, project)
    documents = project.documents.all() if officer else project.documents.filter(public=True)
    ballot = last_ballot(project)
    history_context = lifecycle_context(project, user, project.get_absolute_url())
    if not officer and not can_see(user, project):
        raise Http404
    return {
        "project": project,
        "officer": officer,
        "drafters": project.drafters.select_related("organization"),
        "documents": documents.only(
            "pk", "kind", "name", "size", "state", "uploaded_at", "file_type"
        ),
        "versions": project.versions.all(),
        "comment_draft": comment_draft(project),
        "counts": [
            (Disposition(code).label if code else _("undecided"), n)
            for code, n in sorted(disposition_counts(project).items())
        ],
        "panel": project.panel.select_related("expert", "expert__organization"),
        "ballot": ballot,
        "result": ballot_result(ballot) if ballot else None,
        "votes": ballot.votes.select_related("seat__expert") if ballot else [],
        "open_ballot": current_ballot(project),
        "document_kinds": DocumentKind.choices,
        "positions": Position.choices,
        "experts": Expert.objects.filter(archived_at__isnull=True)[:200] if officer else [],
        "proposed_number": _proposed(project)
        if officer and project.state == State.NUMBERING
        else "",
        "is_public": is_public(project),
        "dispositions_readable": dispositions_readable(user, project),
        "dispositions_published": project.state not in DISPOSITIONS_UNPUBLISHED,
        **history_context,
    }


def _proposed(project) -> str:
    from .numbering import number_propose

    try:
        return number_propose(project, year=today().year)
    except ApplicationError as error:
        return error.message


@json_twin("api:development_project")
def project_page(request, pk: int):
    project = _project(request, pk)
    if request.method == "POST":
        lifecycle_post(request, project)
        return redirect(project.get_absolute_url())
    return render(request, "development/project.html", _project_context(request, project))


def _draft(project: Project, version: int) -> DraftVersion:
    draft = project.versions.filter(version=version).first()
    if draft is None:
        raise Http404("no such version")
    return draft


@require_http_methods(["GET", "POST"])
@json_twin("api:development_comments")
def draft_page(request, pk: int, version: int):
    project = _project(request, pk)
    draft = _draft(project, version)
    under_comment = comment_draft(project)
    open_now = accepts_comments(project) and under_comment == draft
    if request.method == "POST":
        if not request.user.is_authenticated:
            throttle = AddressThrottle("mail")
            if not throttle.allow_request(request):
                minutes = max(1, math.ceil((throttle.wait() or 60) / 60))
                messages.error(
                    request,
                    _("Too many comments from your address: try again in %(minutes)s minutes.")
                    % {"minutes": minutes},
                )
                return redirect(request.path)
        try:
            comment = comment_submit(
                project=project,
                user=request.user,
                values=request.POST,
                language=get_language() or "",
            )
        except ApplicationError as error:
            _fail(request, error)
        else:
            if comment.confirmed:
                messages.success(request, _("Your comment is recorded."))
            else:
                messages.success(
                    request,
                    _("We sent a link to %(email)s: your comment counts once you confirm it.")
                    % {"email": comment.email},
                )
        return redirect(request.path + "#comment-form")
    comments = Paginator(draft_comments(draft), 100).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "draft": draft,
        "clauses": draft.clauses.all(),
        "comments": comments,
        "open_now": open_now,
        "types": CommentType.choices,
        "days_left": (project.comment_closes - today()).days if open_now else None,
        "deciding": project.state == State.HANDLING
        and is_officer(request.user, project)
        and under_comment == draft,
        "dispositions": Disposition.choices,
    }
    return render(request, "development/draft.html", context)


@require_GET
@json_twin("api:development_compare", query=True)
def compare(request, pk: int):
    project = _project(request, pk)
    versions = list(project.versions.order_by("version"))
    if len(versions) < 2:
        changes, a, b = [], None, None
    else:
        try:
            a = _draft(project, int(request.GET.get("a") or versions[-2].version))
            b = _draft(project, int(request.GET.get("b") or versions[-1].version))
        except ValueError:
            raise Http404("no such version") from None
        changes = clauses_compare(list(a.clauses.all()), list(b.clauses.all()))
    return render(
        request,
        "development/compare.html",
        {"project": project, "a": a, "b": b, "changes": changes, "versions": versions},
    )


def _dispositions_draft(request, project: Project) -> DraftVersion:
    """The draft whose disposition table the reader may download (else a 404)."""
    if not dispositions_readable(request.user, project):
        raise Http404("the disposition table is published when the review starts")
    return comment_draft(project)


@require_GET
def dispositions_file(request, pk: int):
    project = _project(request, pk)
    draft = _dispositions_draft(request, project)
    name = f"dispositions-{project.pk}-v{draft.version}.xlsx"
    return _file(
        disposition_table(project, draft),
        name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_http_methods(["GET", "POST"])
def dispositions_pdf_file(request, pk: int):
    """The same table printed (PDF), in the page's language, as a background job printed and
    stored it for the table as it stands. Never printed here: until the print is stored, a page
    says it is being prepared (and follows the job) or that it failed; an officer may ask for
    it again (POST). A download that finds no print of the table as it stands asks for one."""
    project = _project(request, pk)
    draft = _dispositions_draft(request, project)
    language = print_language()
    officer = is_officer(request.user, project)
    if request.method == "POST":
        if not officer:
            raise Http404("for the officers")
        asked = dispositions_print_submit(project, languages=[language], retry=True)
        if asked and print_waiting(asked[0]):
            messages.success(request, _("The PDF is being printed again."))
        return redirect(request.path)
    polling = bool(request.headers.get("HX-Request"))
    found = disposition_print_find(project, draft, language)
    if found is not None and found.printed and not polling:
        data = disposition_print_data(found)
        if data is not None:
            name = f"dispositions-{project.pk}-v{draft.version}-{language}.pdf"
            return _file(data, name, "application/pdf")
    if found is None or print_needs_job(found):
        found = dispositions_print_submit(project, languages=[language])[0]
    waiting = print_waiting(found)
    context = {
        "project": project,
        "draft": draft,
        "print": found,
        "ready": found.printed,
        "waiting": waiting,
        "failed": print_failed(found),
        "progress": job_progress_get(found.job) if waiting else None,
        "officer": officer,
    }
    if polling:
        return render(request, "development/_dispositions_pdf_status.html", context)
    response = render(
        request, "development/dispositions_pdf.html", context, status=202 if waiting else 200
    )
    if waiting:
        response["Retry-After"] = "30"
    return response


@require_GET
def comments_file(request, pk: int):
    project = _project(request, pk)
    draft = comment_draft(project)
    if draft is None or not is_officer(request.user, project):
        raise Http404("for the officers")
    return _file(
        comments_export(project, draft),
        f"comments-{project.pk}-v{draft.version}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_POST
def comments_upload(request, pk: int):
    project = _project(request, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError(_("Choose a file."), code="required")
        if upload.size > 20 * 1024 * 1024:
            raise ApplicationError(_("The file is larger than 20 MB."), code="file_too_large")
        done = comments_import(
            project=project, user=request.user, data=upload.read(), file=upload.name
        )
    except ApplicationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Imported: %(count)s rows.") % {"count": sum(done.values())})
    return redirect(project.get_absolute_url() + "#comments")


@require_GET
def document_file(request, pk: int):
    document = get_object_or_404(ProjectDocument.objects.select_related("project"), pk=pk)
    project = document.project
    if not can_see(request.user, project) or not (
        document.public or is_officer(request.user, project)
    ):
        raise Http404("no such document")
    return _file(
        document.data,
        document.name,
        CONTENT_TYPES.get(document.file_type, "application/octet-stream"),
    )


@login_required
@require_POST
def decide(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("project"), pk=pk)
    try:
        comment_decide(
            comment=comment,
            user=request.user,
            disposition=request.POST.get("disposition", ""),
            reason=request.POST.get("reason", ""),
        )
    except ApplicationError as error:
        if error.status == 403:
            raise Http404 from None
        _fail(request, error)
    draft = comment.draft
    return redirect(
        reverse("development:draft", args=[comment.project_id, draft.version]) + "#comments"
    )


@require_http_methods(["GET", "POST"])
def comment_confirm_page(request, token: str):
    comment = Comment.objects.select_related("project").filter(token=token).first()
    if comment is None:
        raise Http404("no such comment")
    if request.method == "POST":
        try:
            comment_confirm(token=token)
        except ApplicationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Thank you: your comment is confirmed and counts."))
        return redirect(request.path)
    return render(
        request, "development/confirm.html", {"comment": comment, "project": comment.project}
    )


@require_http_methods(["GET", "POST"])
def comment_answer_page(request, token: str):
    comment = Comment.objects.select_related("project").filter(token=token, confirmed=True).first()
    if comment is None or not comment.disposition:
        raise Http404("no such comment")
    if request.method == "POST":
        try:
            comment_answer(
                token=token,
                satisfied=request.POST.get("satisfied") == "yes",
                note=request.POST.get("note", ""),
            )
        except ApplicationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("Thank you for your answer."))
        return redirect(request.path)
    return render(
        request, "development/answer.html", {"comment": comment, "project": comment.project}
    )


@login_required
@json_twin("api:development_dashboard")
def dashboard(request):
    ids = organization_ids_for(request)
    board = dashboard_for(ids)
    reminders = request.user.development_reminders.select_related("project")[:50]
    return render(request, "development/dashboard.html", {"board": board, "reminders": reminders})


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    owners = Organization.objects.filter(
        kind__in=["association", "regulator", "government"], is_active=True
    )
    if request.method == "POST":
        try:
            owner = owners.filter(pk=int(request.POST.get("owner") or 0)).first()
            if owner is None:
                raise ApplicationError(
                    _("Choose the department or association."), where="owner", code="required"
                )
            revises = None
            text = request.POST.get("revises", "").strip()
            if text:
                lookup = standard_resolve(text[:200])
                if lookup.edition is None:
                    raise ApplicationError(
                        _("%(text)s is not in the catalog."),
                        params={"text": text},
                        where="revises",
                        code="unknown_standard",
                    )
                revises = lookup.edition
            project = project_create(
                user=request.user,
                owner=owner,
                kind=request.POST.get("kind", ""),
                values=request.POST,
                revises=revises,
            )
            if request.FILES.get("proposal"):
                document_add(
                    project=project,
                    user=request.user,
                    kind=DocumentKind.PROPOSAL,
                    upload=request.FILES["proposal"],
                )
        except ApplicationError as error:
            _fail(request, error)
        else:
            return redirect(project.get_absolute_url())
    return render(
        request,
        "development/propose.html",
        {"owners": owners, "kinds": Kind.choices, "rules": PASS_RULE_CHOICES},
    )


@login_required
@require_POST
def work(request, pk: int):
    """The officers' and drafters' forms on a project's page: drafters, panel, drafts,
    documents, votes. Each calls its service; a refusal is shown on the page."""
    project = _project(request, pk)
    what = request.POST.get("what", "")
    user = request.user
    try:
        if what == "drafter":
            organization = Organization.objects.filter(
                pk=int(request.POST.get("organization") or 0)
            ).first()
            if organization is None:
                raise ApplicationError(
                    _("Choose an organization."), where="organization", code="required"
                )
            drafter_add(
                project=project,
                user=user,
                organization=organization,
                lead=request.POST.get("lead") == "on",
            )
        elif what == "panel":
            expert = Expert.objects.filter(pk=int(request.POST.get("expert") or 0)).first()
            if expert is None:
                raise ApplicationError(_("Choose an expert."), where="expert", code="required")
            from django.contrib.auth import get_user_model

            account = (
                get_user_model()
                .objects.filter(username=request.POST.get("account", "").strip())
                .first()
            )
            panel_add(project=project, user=user, expert=expert, account=account)
        elif what == "draft":
            draft_add(
                project=project,
                user=user,
                text=request.POST.get("text", ""),
                upload=request.FILES.get("file"),
                label=request.POST.get("label", ""),
            )
        elif what == "document":
            document_add(
                project=project,
                user=user,
                kind=request.POST.get("kind", ""),
                upload=request.FILES.get("file"),
                public=request.POST.get("public") == "on",
            )
        elif what == "vote":
            seat = PanelSeat.objects.filter(
                pk=int(request.POST.get("seat") or 0), project=project
            ).first()
            vote_cast(
                project=project,
                user=user,
                position=request.POST.get("position", ""),
                comment=request.POST.get("comment", ""),
                seat=seat,
            )
        else:
            raise ApplicationError(_("Unknown form."), code="unknown_form")
    except ApplicationError as error:
        if error.status == 403:
            _fail(request, error)
            return redirect(project.get_absolute_url())
        _fail(request, error)
    except ValueError:
        messages.error(request, _("The form was not filled in correctly."))
    else:
        messages.success(request, _("Saved."))
    return redirect(project.get_absolute_url())
