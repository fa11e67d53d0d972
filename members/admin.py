from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from members.models import Delivery, EmailBounce, NotificationPreference, ReminderSetting, User
from members.notifications import deliveries_requeue


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "display_name", "full_name"]
    readonly_fields = ["last_login", "date_joined", "welcomed_at"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {"fields": ["display_name", "full_name", "time_zone", "preferred_language"]},
        ),
        (_("Privacy"), {"fields": ["discreet_mode"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined", "welcomed_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})
    ]


# --- Notifications -----------------------------------------------------------------------------
@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Staff see what failed or is still waiting; the sweep retries, staff can requeue."""

    list_display = ["pk", "kind", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "message_id"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["requeue"]
    readonly_fields = [
        "kind", "about_type", "about_id", "key", "recipient", "message_id", "context",
        "status", "attempts", "last_error", "created_at", "claimed_at", "next_attempt_at",
        "sent_at",
    ]  # fmt: skip
    exclude = ["attachments"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Send again now (failed or stuck rows only)"))
    def requeue(self, request, queryset):
        count = deliveries_requeue(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)d deliveries queued again.") % {"count": count})


@admin.register(EmailBounce)
class EmailBounceAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "reason"]
    search_fields = ["email"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "digest_frequency", "updated_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(ReminderSetting)
class ReminderSettingAdmin(admin.ModelAdmin):
    list_display = ["group", "offsets"]
    raw_id_fields = ["group"]
