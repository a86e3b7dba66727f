from django.contrib import admin

from stdplus.core.admin import ImmutableAdmin, LifecycleAdminMixin

from .models import (
    Alert,
    AlertCursor,
    DeliveryEvent,
    DigestMail,
    Notification,
    Watcher,
    WatchItem,
    WatchList,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)


class WatchItemInline(admin.TabularInline):
    model = WatchItem
    extra = 0


class WatcherInline(admin.TabularInline):
    model = Watcher
    extra = 0
    raw_id_fields = ("user",)


@admin.register(WatchList)
class WatchListAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "created_by", "created_at")
    list_filter = ("organization",)
    search_fields = ("name",)
    raw_id_fields = ("organization", "created_by")
    inlines = [WatchItemInline, WatcherInline]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("url", "watch_list", "created_by", "is_active", "created_at")
    exclude = ("secret",)  # never shown again after creation
    raw_id_fields = ("watch_list", "created_by")


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "started_at", "duration_ms", "status_code", "error")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(LifecycleAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "webhook", "state", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("state",)
    raw_id_fields = ("webhook", "alert")
    inlines = [AttemptInline]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ("pk", "watch_list", "event", "item", "created_at")
    raw_id_fields = ("watch_list", "event", "item")


admin.site.register(AlertCursor)
admin.site.register(Notification, list_display=("pk", "user", "alert", "read_at"))
admin.site.register(
    DigestMail, ImmutableAdmin, list_display=("pk", "user", "sent_at", "alert_count")
)


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(ImmutableAdmin):
    list_display = ("delivery", "on", "action", "from_state", "to_state", "recorded_at")
    list_filter = ("action", "to_state")
    raw_id_fields = ("delivery",)
