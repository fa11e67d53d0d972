from feedback.dashboard import views as dashboard
from feedback.views import checkin, goals, reviews, suggestions
from peersupport.routes import routes

app_name = "feedback"

urlpatterns = routes(
    [
        ("meetings/<int:pk>/checkin/", checkin.CheckinView, "checkin"),
        ("meetings/<int:pk>/checkout/", checkin.CheckoutView, "checkout"),
        ("organisations/<slug:slug>/checkin-questions/", checkin.QuestionSetView, "question_set"),
        ("groups/<slug:slug>/suggestions/", suggestions.SuggestionListView, "suggestions"),
        ("suggestions/<int:pk>/support/", suggestions.SuggestionSupportView, "suggestion_support"),
        ("suggestions/<int:pk>/respond/", suggestions.SuggestionRespondView, "suggestion_respond"),
        ("groups/<slug:slug>/review/", reviews.ReviewScheduleView, "review_schedule"),
        ("groups/<slug:slug>/review/send/", reviews.ReviewSendNowView, "review_send"),
        ("reviews/<int:pk>/", reviews.ReviewAnswerView, "review_answer"),
        ("groups/<slug:slug>/goals/", goals.GroupGoalListView, "group_goals"),
        ("group-goals/<int:pk>/note/", goals.GroupGoalNoteView, "group_goal_note"),
        ("goals/", goals.PersonalGoalListView, "goals"),
        ("goals/<int:pk>/", goals.PersonalGoalDetailView, "goal_detail"),
        ("goals/<int:pk>/achieve/", goals.PersonalGoalAchieveView, "goal_achieve"),
        ("wellbeing/", goals.WellbeingView, "wellbeing"),
        ("wellbeing/plan/", goals.WellbeingPlanView, "wellbeing_plan"),
        ("groups/<slug:slug>/dashboard/", dashboard.GroupDashboardView, "group_dashboard"),
        (
            "groups/<slug:slug>/dashboard.csv",
            dashboard.GroupDashboardCsvView,
            "group_dashboard_csv",
        ),
        (
            "groups/<slug:slug>/dashboard/report/",
            dashboard.GroupDashboardReportView,
            "group_dashboard_report",
        ),
        (
            "organisations/<slug:slug>/dashboard/report/",
            dashboard.OrganisationDashboardReportView,
            "org_dashboard_report",
        ),
        (
            "organisations/<slug:slug>/dashboard/",
            dashboard.OrganisationDashboardView,
            "org_dashboard",
        ),
        (
            "organisations/<slug:slug>/dashboard.csv",
            dashboard.OrganisationDashboardCsvView,
            "org_dashboard_csv",
        ),
    ]
)
