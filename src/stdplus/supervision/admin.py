from django.contrib import admin

from stdplus.core.admin import ImmutableAdmin, LifecycleAdminMixin

from .models import (
    ChecklistItem,
    CoreIndicator,
    Inspector,
    KeyArea,
    LeaderCategory,
    LeaderEntry,
    LeaderEvent,
    Objection,
    RankingRun,
    Scheme,
    SchemeEvent,
    SpotCheck,
    SpotCheckEvent,
    SpotCheckRound,
)


@admin.register(Inspector)
class InspectorAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "expert", "active")
    list_filter = ("active",)
    raw_id_fields = ("user", "expert")


@admin.register(SpotCheckRound)
class SpotCheckRoundAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "category", "drawn_on", "published_on", "seed")
    readonly_fields = ("seed", "population", "population_digest", "roster_digest", "drawn_by")

    def has_delete_permission(self, request, obj=None):
        return False  # a drawn round is a record


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ("source", "code", "severity", "judgment", "comment")
    readonly_fields = ("source", "code", "severity")


@admin.register(SpotCheck)
class SpotCheckAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ("round", "position", "declaration", "state", "outcome")
    list_filter = ("state", "outcome")
    raw_id_fields = ("declaration",)
    inlines = [ChecklistItemInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpotCheckEvent)
class SpotCheckEventAdmin(ImmutableAdmin):
    list_display = ("spot_check", "action", "from_state", "to_state", "on", "actor_name")


class LeaderCategoryInline(admin.TabularInline):
    model = LeaderCategory
    extra = 0


@admin.register(KeyArea)
class KeyAreaAdmin(admin.ModelAdmin):
    list_display = ("year", "code", "name_zh", "name_en")
    inlines = [LeaderCategoryInline]


@admin.register(LeaderCategory)
class LeaderCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "area", "product_category")


class CoreIndicatorInline(admin.TabularInline):
    model = CoreIndicator
    extra = 0
    raw_id_fields = ("method_standard", "floor_standard")


@admin.register(Scheme)
class SchemeAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ("category", "version", "state", "effective_on")
    list_filter = ("state",)
    inlines = [CoreIndicatorInline]


@admin.register(SchemeEvent)
class SchemeEventAdmin(ImmutableAdmin):
    list_display = ("scheme", "action", "from_state", "to_state", "on", "actor_name")


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ("scheme", "name", "received_on", "state")
    list_filter = ("state",)


@admin.register(RankingRun)
class RankingRunAdmin(ImmutableAdmin):
    list_display = ("scheme", "year", "run_on", "ranked", "candidates", "inputs_digest")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("record")  # megabytes, read on the run page


@admin.register(LeaderEntry)
class LeaderEntryAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ("category", "year", "enterprise", "product", "state", "certificate")
    list_filter = ("state", "year")
    raw_id_fields = ("run", "declaration", "product", "enterprise", "commitment_by")


@admin.register(LeaderEvent)
class LeaderEventAdmin(ImmutableAdmin):
    list_display = ("entry", "action", "from_state", "to_state", "on", "actor_name")
