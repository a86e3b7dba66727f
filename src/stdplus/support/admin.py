from django.contrib import admin

from stdplus.core.admin import ImmutableAdmin, LifecycleAdminMixin

from .models import ExpertProfile, Policy, Question, QuestionEvent


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("title_zh", "issuer_zh", "document_number", "region", "issued_on", "expires_on")
    list_filter = ("region",)
    search_fields = ("title_zh", "title_en", "document_number", "issuer_zh")
    date_hierarchy = "issued_on"


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ("expert", "user", "available")
    list_filter = ("available",)
    raw_id_fields = ("expert", "user")


@admin.register(Question)
class QuestionAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ("title", "topic", "public", "state", "expert", "created_at")
    list_filter = ("state", "public", "topic")
    raw_id_fields = ("organization", "asked_by", "standard", "expert")
    readonly_fields = ("answer", "answered_on", "rating")


@admin.register(QuestionEvent)
class QuestionEventAdmin(ImmutableAdmin):
    list_display = ("question", "on", "action", "from_state", "to_state", "actor_name")
