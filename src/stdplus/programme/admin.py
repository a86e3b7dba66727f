"""The regulator's editing tool: every save is audited, nothing is deleted (archive instead).

States change only by the steps of their lifecycle (the panel on each change page); history
and audit tables are read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from stdplus.core.admin import ImmutableAdmin, LifecycleAdminMixin

from .models import (
    AreaProject,
    AuditEvent,
    EvidenceDocument,
    Expert,
    FundingApplication,
    FundingEvent,
    FundingItemType,
    FundingScheme,
    IssuerCode,
    MatchCandidate,
    MatchEvent,
    OrganizationProfile,
    Participation,
    Pilot,
    PilotEvent,
    PilotTask,
    Position,
    PriorityArea,
    ProjectEvent,
    Region,
    StandardsBody,
)
from .services.audit import record_archive, record_restore, record_saved


@admin.action(description=_("Archive (soft delete) the selected records"))
def archive(modeladmin, request, queryset):
    for record in queryset:
        record_archive(instance=record, actor=request.user)
    messages.success(request, _("Archived."))


@admin.action(description=_("Restore the selected records"))
def restore(modeladmin, request, queryset):
    for record in queryset:
        record_restore(instance=record, actor=request.user)


class RecordAdmin(admin.ModelAdmin):
    actions = [archive, restore]
    readonly_fields = ("archived_at", "created_at", "updated_at")
    list_filter = ("demo",)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_saved(
            instance=obj, created=not change, changed=list(form.changed_data), actor=request.user
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_zh", "name_en", "level", "local_prefixes")
    list_filter = ("level",)
    search_fields = ("code", "name_zh", "name_en")


@admin.register(OrganizationProfile)
class OrganizationProfileAdmin(RecordAdmin):
    list_display = ("organization", "demo", "archived_at")
    raw_id_fields = ("organization",)
    search_fields = ("organization__name_zh", "organization__name_en")


@admin.register(IssuerCode)
class IssuerCodeAdmin(RecordAdmin):
    list_display = ("code", "kind", "organization", "source", "demo")
    raw_id_fields = ("organization",)
    search_fields = ("code",)


@admin.register(Participation)
class ParticipationAdmin(RecordAdmin):
    list_display = ("organization", "standard", "role", "source", "demo", "archived_at")
    list_filter = ("role", "source", "demo")
    raw_id_fields = ("organization", "standard")
    show_full_result_count = False


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    can_delete = False
    exclude = ("archived_at",)


@admin.register(Expert)
class ExpertAdmin(RecordAdmin):
    list_display = ("name_zh", "name_en", "organization", "demo")
    raw_id_fields = ("organization",)
    search_fields = ("name_zh", "name_en")
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(RecordAdmin):
    list_display = ("expert", "body", "role", "term_start", "term_end")
    list_filter = ("family", "role", "demo")
    raw_id_fields = ("expert",)


@admin.register(StandardsBody)
class StandardsBodyAdmin(RecordAdmin):
    list_display = ("code", "name_zh", "kind", "host", "since", "until")
    list_filter = ("kind", "demo")
    raw_id_fields = ("host",)


class TaskInline(admin.TabularInline):
    model = PilotTask
    extra = 0
    can_delete = False
    exclude = ("archived_at",)


@admin.register(Pilot)
class PilotAdmin(LifecycleAdminMixin, RecordAdmin):
    list_display = ("code", "title_zh", "level", "state", "host", "start")
    list_filter = ("level", "state", "demo")
    raw_id_fields = ("host",)
    readonly_fields = ("evaluation_result", "evaluation_note", *RecordAdmin.readonly_fields)
    inlines = [TaskInline]


class EventAdmin(ImmutableAdmin):
    list_display = ("on", "action", "from_state", "to_state", "actor_name", "recorded_at")
    list_filter = ("action", "to_state", "demo")


@admin.register(PilotEvent)
class PilotEventAdmin(EventAdmin):
    list_display = ("pilot", *EventAdmin.list_display)
    list_select_related = ("pilot",)


@admin.register(FundingEvent)
class FundingEventAdmin(EventAdmin):
    list_display = ("application", *EventAdmin.list_display)
    list_select_related = ("application__organization", "application__item_type")


@admin.register(MatchEvent)
class MatchEventAdmin(EventAdmin):
    list_display = ("candidate", *EventAdmin.list_display)
    list_select_related = ("candidate__organization",)


@admin.register(ProjectEvent)
class ProjectEventAdmin(EventAdmin):
    list_display = ("project", *EventAdmin.list_display)
    list_select_related = ("project",)


class ItemInline(admin.TabularInline):
    model = FundingItemType
    extra = 0
    can_delete = False
    exclude = ("archived_at",)


@admin.register(FundingScheme)
class FundingSchemeAdmin(RecordAdmin):
    list_display = (
        "code",
        "name_zh",
        "region",
        "period_start",
        "period_end",
        "organization_cap",
        "stackable",
        "to_be_confirmed",
    )
    list_filter = ("to_be_confirmed", "stackable", "excludes_state_funded")
    inlines = [ItemInline]


@admin.register(FundingApplication)
class FundingApplicationAdmin(LifecycleAdminMixin, RecordAdmin):
    list_display = (
        "organization",
        "item_type",
        "amount_requested",
        "state",
        "eligible",
        "amount_awarded",
    )
    list_filter = ("state", "eligible", "demo")
    raw_id_fields = ("organization", "participation", "pilot")
    # Eligibility and decisions come from the services and the lifecycle, never typed in.
    readonly_fields = (
        "checks",
        "eligible",
        "amount_awarded",
        "decided_by",
        "decided_on",
        "paid_on",
        *RecordAdmin.readonly_fields,
    )


@admin.register(EvidenceDocument)
class EvidenceDocumentAdmin(admin.ModelAdmin):
    """Documents are attached through the application's page (checked there); here they are
    only listed."""

    list_display = ("application", "kind", "name", "size", "uploaded_at")
    list_filter = ("kind",)
    raw_id_fields = ("application",)
    exclude = ("data",)
    readonly_fields = (
        "application",
        "kind",
        "name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
    )

    def has_add_permission(self, request):
        return False


class ProjectInline(admin.TabularInline):
    model = AreaProject
    extra = 0
    can_delete = False
    exclude = ("archived_at",)
    # New projects may be entered in any state; after that it changes by the project's steps.
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        return ("state",) if obj is not None else ()


@admin.register(PriorityArea)
class PriorityAreaAdmin(RecordAdmin):
    list_display = ("code", "name_zh", "region", "year_from", "year_to")
    raw_id_fields = ("standards",)
    filter_horizontal = ("pilots",)
    inlines = [ProjectInline]


@admin.register(AreaProject)
class AreaProjectAdmin(LifecycleAdminMixin, RecordAdmin):
    list_display = ("title_zh", "title_en", "area", "organization", "state", "demo")
    list_filter = ("state", "demo", "area")
    raw_id_fields = ("organization",)


@admin.register(MatchCandidate)
class MatchCandidateAdmin(LifecycleAdminMixin, ReadOnlyAdmin):
    list_display = ("standard", "name", "organization", "score", "state")
    list_filter = ("state",)


@admin.register(AuditEvent)
class AuditEventAdmin(ImmutableAdmin):
    list_display = ("at", "model", "object_id", "action", "actor")
    list_filter = ("model", "action")
