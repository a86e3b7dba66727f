from django.contrib import admin

from .models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "kind", "credit_code", "region_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name_zh", "name_en", "credit_code")
    inlines = [MembershipInline]
