from django.urls import path
from django.views.generic import RedirectView

from members.views import data as views_data
from members.views import notices as views_notices
from members.views import notifications as views_notifications
from members.views import profile as views

app_name = "members"
urlpatterns = [
    path("profile/", views.ProfileUpdateView.as_view(), name="profile"),
    path(
        "notifications/",
        views_notifications.NotificationPreferencesView.as_view(),
        name="notifications",
    ),
    path(
        "notifications/unsubscribe/<str:token>/",
        views_notifications.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
    # A group's reminder times moved to the meetings app; links in earlier emails follow.
    path(
        "notifications/group/<slug:slug>/reminders/",
        RedirectView.as_view(pattern_name="meetings:group_reminders", permanent=True),
        name="group_reminders_moved",
    ),
    # The notifications list (the bell)
    path("notices/", views_notices.NoticeListView.as_view(), name="notices"),
    path("notices/<int:pk>/", views_notices.NoticeOpenView.as_view(), name="notice_open"),
    path("notices/read/", views_notices.NoticesReadAllView.as_view(), name="notices_read"),
    # Data rights
    path("data/", views_data.data_home, name="data"),
    path("data/export/", views_data.export_html, name="data_export_html"),
    path("data/export.json", views_data.export_json, name="data_export_json"),
    path(
        "data/export-readable.json",
        views_data.export_readable_json,
        name="data_export_readable_json",
    ),
    path("data/delete/", views_data.delete_account, name="data_delete"),
]
