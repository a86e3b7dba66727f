from django import forms
from django.contrib import admin

from .models import ApiToken, Membership, Organization


class MembershipForm(forms.ModelForm):
    """A stored membership keeps its person: moving the row to someone else would hand them
    what it granted without ending it. Delete the row (which ends it) and add another."""

    class Meta:
        model = Membership
        fields = ("user", "role")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["user"].disabled = True


class MembershipInline(admin.TabularInline):
    """Deleting a row here ends the membership and everything it granted (tokens, watchers,
    feed addresses, inbox, webhooks): see accounts.services.membership_grants_end."""

    model = Membership
    form = MembershipForm
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name_zh", "name_en", "kind", "credit_code", "region_code", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name_zh", "name_en", "credit_code")
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "prefix",
        "user",
        "organization",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("prefix", "created_at", "last_used_at")
    exclude = ("digest",)
    raw_id_fields = ("user", "organization")
