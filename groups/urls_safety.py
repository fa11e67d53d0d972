from groups.views import safety
from peersupport.routes import routes

urlpatterns = routes(
    [
        ("orgs/<slug:slug>/audit/", safety.AuditLogView, "audit_log"),
        ("orgs/<slug:slug>/safeguarding/", safety.SafeguardingLeadsView, "safeguarding_leads"),
        ("groups/<slug:slug>/support/", safety.SupportRequestView, "support_request"),
        ("groups/<slug:slug>/followups/", safety.FollowupsView, "followups"),
        (
            "groups/<slug:slug>/followups/<int:pk>/handled/",
            safety.SupportRequestHandledView,
            "support_request_handled",
        ),
        ("groups/<slug:slug>/concerns/new/", safety.ConcernReportView, "concern_report"),
        ("concerns/<int:pk>/", safety.ConcernDetailView, "concern"),
        ("orgs/<slug:slug>/concerns/", safety.ConcernListView, "concerns"),
    ]
)
