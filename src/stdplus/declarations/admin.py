from django.contrib import admin

from stdplus.core.admin import ImmutableAdmin, LifecycleAdminMixin

from .models import Declaration, DeclarationEvent


@admin.register(Declaration)
class DeclarationAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ("enterprise", "version", "state", "declared_on")
    list_filter = ("state",)
    search_fields = ("enterprise__name_zh", "enterprise__name_en", "enterprise__credit_code")
    raw_id_fields = ("enterprise", "commitment_by", "created_by")
    readonly_fields = ("version", "declared_on", "commitment_by", "commitment_at")

    def has_delete_permission(self, request, obj=None):
        return False  # nothing public is deleted; drafts are withdrawn by their enterprise


@admin.register(DeclarationEvent)
class DeclarationEventAdmin(ImmutableAdmin):
    list_display = ("declaration", "action", "from_state", "to_state", "on", "actor_name")
    list_filter = ("action",)


# Part B
from .models import ImportedDeclaration, MandatoryStandard, RecheckFinding  # noqa: E402


@admin.register(MandatoryStandard)
class MandatoryStandardAdmin(admin.ModelAdmin):
    list_display = ("category", "standard", "note", "updated_at")
    list_filter = ("category",)
    search_fields = ("category", "standard__canonical")
    raw_id_fields = ("standard", "updated_by")
    readonly_fields = ("updated_by",)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(RecheckFinding)
class RecheckFindingAdmin(admin.ModelAdmin):
    list_display = ("declaration", "code", "severity", "standard", "raised_at", "closed_at")
    list_filter = ("code", "severity")
    raw_id_fields = ("declaration", "wording")


@admin.register(ImportedDeclaration)
class ImportedDeclarationAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "reference", "declaration", "file", "imported_at")
    raw_id_fields = ("enterprise", "declaration", "imported_by")
