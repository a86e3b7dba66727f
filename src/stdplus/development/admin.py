from django.contrib import admin

from stdplus.core.admin import ImmutableAdmin, LifecycleAdminMixin

from .models import Project, ProjectEvent


@admin.register(Project)
class ProjectAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ("title_zh", "title_en", "kind", "state", "number")
    list_filter = ("kind", "state")
    search_fields = ("title_zh", "title_en", "number", "plan_number")
    raw_id_fields = ("owner", "revises", "proposed_by", "standard")
    readonly_fields = ("number", "standard", "published_on", "review_due")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProjectEvent)
class ProjectEventAdmin(ImmutableAdmin):
    list_display = ("project", "action", "from_state", "to_state", "on", "actor_name")
    list_filter = ("action",)
