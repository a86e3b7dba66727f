from django.contrib import admin

from .models import Policy


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("title_zh", "issuer_zh", "document_number", "region", "issued_on", "expires_on")
    list_filter = ("region",)
    search_fields = ("title_zh", "title_en", "document_number", "issuer_zh")
    date_hierarchy = "issued_on"
