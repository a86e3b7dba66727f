from django.contrib import admin

from .models import CheckLine, ValidityCheck


@admin.register(ValidityCheck)
class ValidityCheckAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organization", "created_by", "created_at", "day", "line_count")
    list_filter = ("organization",)
    search_fields = ("name", "source")
    raw_id_fields = ("organization", "created_by")


@admin.register(CheckLine)
class CheckLineAdmin(admin.ModelAdmin):
    list_display = ("validity_check", "position", "input", "canonical", "match", "category")
    list_filter = ("category", "match")
    search_fields = ("input", "canonical")
    raw_id_fields = ("validity_check",)
