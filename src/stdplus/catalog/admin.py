from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from stdplus.core.admin import ImmutableAdmin
from stdplus.core.errors import ApplicationError

from .models import ChangeEvent, Classification, ImportRun, Relation, Standard
from .services import standard_update
from .services.fields import EDITABLE_FIELDS as EDITABLE


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services (imports, recomputes): staff read them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("canonical", "level", "body", "status", "published", "effective", "source")
    list_filter = ("level", "status", "mandate", "source")
    search_fields = ("canonical", "work_key", "title_en", "title_zh")
    date_hierarchy = "published"
    show_full_result_count = False
    readonly_fields = tuple(
        f.name
        for f in Standard._meta.get_fields()
        if getattr(f, "concrete", False) and not f.many_to_many and f.name not in EDITABLE
    )
    fields = (
        "canonical",
        "work_key",
        "level",
        "body",
        "mandate",
        "status",
        "base_status",
        "source_status",
        "stage_code",
        "title_zh",
        "title_en",
        "scope",
        "published",
        "effective",
        "withdrawn",
        "confirmed",
        "committee",
        "drafting_organizations",
        "url",
        "source",
        "source_id",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False  # standards come from imports; staff edit existing records

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw a standard instead; nothing is deleted outright

    def save_model(self, request, obj, form, change):
        """Edits go through the catalog service, which records change events."""
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE}
        original = Standard.objects.get(pk=obj.pk)
        for name in changes:
            setattr(obj, name, getattr(original, name))
        try:
            standard_update(standard=obj, changes=changes, source=f"admin:{request.user}")
        except ApplicationError as error:
            messages.error(request, str(error))


@admin.register(Relation)
class RelationAdmin(ReadOnlyAdmin):
    list_display = ("from_key", "type", "to_key", "degree", "inferred", "source")
    list_filter = ("type", "inferred", "source")
    search_fields = ("from_key", "to_key")
    show_full_result_count = False


@admin.register(Classification)
class ClassificationAdmin(ReadOnlyAdmin):
    list_display = ("scheme", "code", "title_en", "title_zh", "edition")
    list_filter = ("scheme", "depth")
    search_fields = ("code", "title_en", "title_zh")


@admin.register(ChangeEvent)
class ChangeEventAdmin(ImmutableAdmin):
    list_display = ("created_at", "standard", "kind", "field", "old_value", "new_value", "source")
    list_filter = ("kind", "source")
    search_fields = ("standard__canonical",)
    list_select_related = ("standard",)
    show_full_result_count = False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "source", "path", "created", "updated", "unchanged", "skipped")


# The title of every admin page and its header, in the reader's language ("stdplus 管理"), not
# Django's "Django site admin".
admin.site.site_header = _("stdplus administration")
admin.site.site_title = _("stdplus administration")
admin.site.index_title = _("Site administration")
