"""Admin building blocks: read-only history tables, and lifecycle panels on change pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse

from .lifecycle import lifecycle_of
from .lifecycle_ui import lifecycle_context, lifecycle_post
from .models import Job


class ImmutableAdmin(admin.ModelAdmin):
    """Event and audit rows: staff read them; nobody adds, changes or deletes them here.

    Required (by a system check) for every registered `ImmutableModel`."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class LifecycleAdminMixin:
    """The change page of an object with a lifecycle shows its next steps and its history, and
    takes a step (through `transition_apply`, as the logged-in user). The state field is never
    edited in a form."""

    change_form_template = "core/admin/lifecycle_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        lifecycle = lifecycle_of(self.model)  # type: ignore[attr-defined]
        extra = [lifecycle.state_field]
        if lifecycle.since_field:
            extra.append(lifecycle.since_field)
        return fields + tuple(name for name in extra if name not in fields)

    def _step_url_name(self) -> str:
        meta = self.model._meta  # type: ignore[attr-defined]
        return f"{meta.app_label}_{meta.model_name}_step"

    def get_urls(self):
        urls = super().get_urls()  # type: ignore[misc]
        step = self.admin_site.admin_view(self.step_view)  # type: ignore[attr-defined]
        return [path("<path:object_id>/step/", step, name=self._step_url_name()), *urls]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        extra_context = dict(extra_context or {})
        if obj is not None:
            url = reverse(f"admin:{self._step_url_name()}", args=[obj.pk])
            extra_context.update(lifecycle_context(obj, request.user, url))
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def step_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is None or not self.has_view_permission(request, obj):  # type: ignore[attr-defined]
            raise Http404
        lifecycle_post(request, obj)
        meta = self.model._meta  # type: ignore[attr-defined]
        return redirect(f"admin:{meta.app_label}_{meta.model_name}_change", obj.pk)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs, for staff to see what ran, what failed and why (read-only)."""

    list_display = ["name", "key", "state", "attempts", "created_at", "finished_at"]
    list_filter = ["state", "name"]
    search_fields = ["key", "name"]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
