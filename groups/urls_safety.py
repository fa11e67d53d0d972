from django.urls import path

from groups.views import safety

urlpatterns = [
    path("orgs/<slug:slug>/audit/", safety.AuditLogView.as_view(), name="audit_log"),
    path(
        "orgs/<slug:slug>/safeguarding/",
        safety.SafeguardingLeadsView.as_view(),
        name="safeguarding_leads",
    ),
    path(
        "groups/<slug:slug>/support/", safety.SupportRequestView.as_view(), name="support_request"
    ),
    path("groups/<slug:slug>/followups/", safety.FollowupsView.as_view(), name="followups"),
    path(
        "groups/<slug:slug>/followups/<int:pk>/handled/",
        safety.SupportRequestHandledView.as_view(),
        name="support_request_handled",
    ),
    path(
        "groups/<slug:slug>/concerns/new/",
        safety.ConcernReportView.as_view(),
        name="concern_report",
    ),
    path("concerns/<int:pk>/", safety.ConcernDetailView.as_view(), name="concern"),
    path("orgs/<slug:slug>/concerns/", safety.ConcernListView.as_view(), name="concerns"),
]
