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
