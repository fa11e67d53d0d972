"""Django admin for site operators. Health-related content is shown sparingly: lists show
names and states, never intake answers or private places."""

from django.contrib import admin

from groups import models
from peersupport.admin import tabular_inline


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "contact_email", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [
        tabular_inline(models.OrganisationRole, raw_id_fields=["user"]),
        tabular_inline(models.PartnerOrganisation),
    ]


@admin.register(models.PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "format", "city", "language", "visibility", "status"]
    list_filter = ["status", "visibility", "format", "join_policy", "language"]
    search_fields = ["name", "slug", "city"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation"]
    readonly_fields = ["created_at", "updated_at"]


class MembershipEventInline(admin.TabularInline):
    model = models.MembershipEvent
    fields = ["created_at", "from_status", "to_status", "role", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "status", "joined_at"]
    list_filter = ["role", "status"]
    search_fields = ["user__email", "group__name"]
    list_select_related = ["user", "group"]
    raw_id_fields = ["user", "group"]
    exclude = ["intake_answers"]  # health-related: read by the group's facilitators only
    inlines = [MembershipEventInline]


@admin.register(models.Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["group", "single_use", "uses", "expires_at", "revoked_at"]
    list_select_related = ["group"]
    exclude = ["token"]
    raw_id_fields = ["group", "created_by"]


@admin.register(models.Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["group", "mentor", "mentee", "created_at", "ended_at"]
    raw_id_fields = ["group", "mentor", "mentee", "paired_by"]


@admin.register(models.ContactAccessLog)
class ContactAccessLogAdmin(admin.ModelAdmin):
    """An audit trail: read only."""

    list_display = ["created_at", "group", "viewer", "member"]
    list_select_related = ["group", "viewer", "member"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
