"""Watch list pages, the inbox, and the public page of catalog changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stdplus.accounts.selectors import organization_for
from stdplus.catalog.choices import EventKind, Level
from stdplus.checks.selectors import validity_check_get
from stdplus.core.errors import ApplicationError
from stdplus.core.twins import json_twin, list_twin

from .delivery import webhook_test_send
from .filters import ChangeFilter, change_filters_read
from .forms import ItemForm, WatcherForm, WatchListForm, WebhookForm
from .models import Watcher, Webhook
from .phrasing import event_phrases, phrases
from .selectors import (
    alerts_of,
    catalog_changes,
    deliveries_of,
    inbox,
    watch_list_get,
    watch_list_list,
    watched_rows,
)
from .services import (
    feed_token_for,
    feed_token_rotate,
    notifications_mark_read,
    watch_item_add,
    watch_item_remove,
    watch_list_create,
    watch_list_delete,
    watch_list_from_check,
    watcher_set,
    webhook_create,
    webhook_delete,
)


def _phrased(alerts: list) -> list:
    """The alerts, each with its sentence in the page's language (`alert.phrase`)."""
    said = phrases(alerts)
    for alert in alerts:
        alert.phrase = said[alert.pk]
    return alerts


def _list_or_404(request, pk: int):
    organization = organization_for(request)
    watch_list = watch_list_get(organization=organization, pk=pk) if organization else None
    if watch_list is None:
        raise Http404("no such watch list in your organization")
    return watch_list


@login_required
@require_http_methods(["GET", "POST"])
@json_twin("api:lists")
def index(request):
    organization = organization_for(request)
    if organization is None:
        messages.error(request, _("Join or register an organization to keep watch lists."))
        return redirect("accounts:account")
    form = WatchListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            watch_list = watch_list_create(
                organization=organization, user=request.user, name=form.cleaned_data["name"]
            )
        except ApplicationError as error:
            form.add_error("name", error.message)
        else:
            return redirect(watch_list.get_absolute_url())
    context = {
        "form": form,
        "organization": organization,
        "watch_lists": watch_list_list(organization=organization),
    }
    return render(request, "watch/index.html", context)


@login_required
@require_POST
def from_check(request, check_pk: int):
    organization = organization_for(request)
    check = validity_check_get(organization=organization, pk=check_pk) if organization else None
    if check is None:
        raise Http404("no such check in your organization")
    try:
        watch_list = watch_list_from_check(
            check=check, user=request.user, name=request.POST.get("name", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(check.get_absolute_url())
    messages.success(
        request,
        _("Watch list created with %(count)d items.") % {"count": watch_list.items.count()},
    )
    return redirect(watch_list.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
@json_twin(lambda request, pk: reverse("api:list_detail", kwargs={"list_id": pk}))
def detail(request, pk: int):
    watch_list = _list_or_404(request, pk)
    watcher = Watcher.objects.filter(watch_list=watch_list, user=request.user).first()
    item_form = ItemForm(prefix="item")
    webhook_form = WebhookForm(prefix="hook")
    new_secret = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add-item":
                item_form = ItemForm(request.POST, prefix="item")
                if item_form.is_valid():
                    watch_item_add(watch_list=watch_list, **item_form.cleaned_data)
                    return redirect(watch_list.get_absolute_url())
            elif action == "remove-item":
                watch_item_remove(watch_list=watch_list, item_id=int(request.POST["item"]))
                return redirect(watch_list.get_absolute_url())
            elif action == "watch":
                form = WatcherForm(request.POST)
                if form.is_valid():
                    watcher_set(
                        watch_list=watch_list,
                        user=request.user,
                        digest=form.cleaned_data["digest"],
                    )
                return redirect(watch_list.get_absolute_url())
            elif action == "unwatch":
                watcher_set(watch_list=watch_list, user=request.user, digest=None)
                return redirect(watch_list.get_absolute_url())
            elif action == "add-webhook":
                webhook_form = WebhookForm(request.POST, prefix="hook")
                if webhook_form.is_valid():
                    _hook, new_secret = webhook_create(
                        watch_list=watch_list,
                        url=webhook_form.cleaned_data["url"],
                        by=request.user,
                    )
                    webhook_form = WebhookForm(prefix="hook")
            elif action == "test-webhook":
                hook = watch_list.webhooks.select_related(
                    "watch_list__organization", "created_by"
                ).get(pk=int(request.POST["webhook"]))
                ok, said = webhook_test_send(hook)
                (messages.success if ok else messages.error)(request, said)
                return redirect(watch_list.get_absolute_url())
            elif action == "remove-webhook":
                webhook_delete(watch_list=watch_list, webhook_id=int(request.POST["webhook"]))
                return redirect(watch_list.get_absolute_url())
            elif action == "rotate-feed":
                feed_token_rotate(watch_list=watch_list, user=request.user)
                messages.success(request, _("New feed address; the old one no longer works."))
                return redirect(watch_list.get_absolute_url())
            elif action == "delete":
                watch_list_delete(watch_list=watch_list)
                messages.success(request, _("The watch list was deleted."))
                return redirect("watch:index")
        except (ApplicationError, ValueError, KeyError, Webhook.DoesNotExist) as error:
            message = getattr(error, "message", _("The request is not valid."))
            if action == "add-item":
                item_form.add_error("value", message)
            elif action == "add-webhook":
                webhook_form.add_error("url", message)
            else:
                messages.error(request, message)
    context = {
        "watch_list": watch_list,
        "rows": watched_rows(watch_list=watch_list),
        "watcher": watcher,
        "watcher_form": WatcherForm(initial={"digest": watcher.digest if watcher else "weekly"}),
        "item_form": item_form,
        "webhook_form": webhook_form,
        "webhooks": list(watch_list.webhooks.select_related("created_by")),
        "new_secret": new_secret,
        "alerts": _phrased(alerts_of(watch_list=watch_list)),
        "deliveries": deliveries_of(watch_list=watch_list),
        "feed_url": request.build_absolute_uri(
            reverse("watch:feed", args=[feed_token_for(watch_list=watch_list, user=request.user)])
        ),
    }
    response = render(request, "watch/detail.html", context)
    if new_secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
@json_twin(list_twin("api:inbox_list", page_size=50))
def inbox_view(request):
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("watch:inbox")
    page = Paginator(inbox(user=request.user), 50).get_page(request.GET.get("page"))
    _phrased([note.alert for note in page])
    return render(request, "watch/inbox.html", {"page": page})


@require_GET
@json_twin(list_twin("api:changes", page_size=50, keep=("level", "body", "ics", "kind")))
def changes(request):
    status, error = 200, ""
    try:
        filters = change_filters_read(request.GET).model_dump()
    except ApplicationError as problem:
        status, error = 400, problem.message
        filters = dict.fromkeys(ChangeFilter.model_fields, "")
    page = Paginator(catalog_changes(**filters), 50).get_page(request.GET.get("page"))
    said = event_phrases(page)
    for event in page:
        event.phrase = said[event.pk]
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "page": page,
        "filters": filters,
        "levels": Level.choices,
        "kinds": EventKind.choices,
        "query": query,
        "error": error,
    }
    return render(request, "watch/changes.html", context, status=status)
