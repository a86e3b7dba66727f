from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stdplus.core.admin import ImmutableAdmin, LifecycleAdminMixin

from .models import (
    Certificate,
    Course,
    Enrollment,
    ExpertProfile,
    Policy,
    Question,
    QuestionEvent,
    Session,
)
from .training import attendance_record, certificate_issue


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


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title_zh", "topic", "level", "hours")
    filter_horizontal = ("teachers",)
    raw_id_fields = ("standards",)


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("course", "starts_on", "ends_on", "region", "capacity", "waiting_places")


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("session", "person", "waiting", "cancelled", "attended_on")
    list_filter = ("waiting", "cancelled")
    raw_id_fields = ("session", "person", "organization")
    actions = ["record_attendance", "issue_certificates"]

    @admin.action(description=_("Record attendance (on the session's last day)"))
    def record_attendance(self, request, queryset):
        for enrollment in queryset.filter(cancelled=False, waiting=False):
            attendance_record(enrollment)

    @admin.action(description=_("Issue certificates to those who attended"))
    def issue_certificates(self, request, queryset):
        for enrollment in queryset.filter(attended_on__isnull=False):
            certificate_issue(enrollment)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "holder_name", "course_title", "hours", "issued_on")
    readonly_fields = ("enrollment", "holder_name", "course_title", "hours", "issued_on", "code")

    def has_add_permission(self, request):
        return False
