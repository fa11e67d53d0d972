from django.urls import path

from groups.views import safety

urlpatterns = [
    path("orgs/<slug:slug>/audit/", safety.AuditLogView.as_view(), name="audit_log"),
]
