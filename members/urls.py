from django.urls import path

from members import views, views_notifications

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
    path(
        "notifications/group/<slug:slug>/reminders/",
        views_notifications.GroupRemindersView.as_view(),
        name="group_reminders",
    ),
]
