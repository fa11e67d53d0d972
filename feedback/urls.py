from django.urls import path

from feedback.dashboard import views as dashboard
from feedback.views import checkin, goals, reviews, suggestions

app_name = "feedback"

urlpatterns = [
    path("meetings/<int:pk>/checkin/", checkin.CheckinView.as_view(), name="checkin"),
    path("meetings/<int:pk>/checkout/", checkin.CheckoutView.as_view(), name="checkout"),
    path(
        "organisations/<slug:slug>/checkin-questions/",
        checkin.QuestionSetView.as_view(),
        name="question_set",
    ),
    path(
        "groups/<slug:slug>/suggestions/",
        suggestions.SuggestionListView.as_view(),
        name="suggestions",
    ),
    path(
        "suggestions/<int:pk>/support/",
        suggestions.SuggestionSupportView.as_view(),
        name="suggestion_support",
    ),
    path(
        "suggestions/<int:pk>/respond/",
        suggestions.SuggestionRespondView.as_view(),
        name="suggestion_respond",
    ),
    path(
        "groups/<slug:slug>/review/", reviews.ReviewScheduleView.as_view(), name="review_schedule"
    ),
    path(
        "groups/<slug:slug>/review/send/", reviews.ReviewSendNowView.as_view(), name="review_send"
    ),
    path("reviews/<int:pk>/", reviews.ReviewAnswerView.as_view(), name="review_answer"),
    path("groups/<slug:slug>/goals/", goals.GroupGoalListView.as_view(), name="group_goals"),
    path(
        "group-goals/<int:pk>/note/",
        goals.GroupGoalNoteView.as_view(),
        name="group_goal_note",
    ),
    path("goals/", goals.PersonalGoalListView.as_view(), name="goals"),
    path("goals/<int:pk>/", goals.PersonalGoalDetailView.as_view(), name="goal_detail"),
    path(
        "goals/<int:pk>/achieve/",
        goals.PersonalGoalAchieveView.as_view(),
        name="goal_achieve",
    ),
    path("wellbeing/", goals.WellbeingView.as_view(), name="wellbeing"),
    path("wellbeing/plan/", goals.WellbeingPlanView.as_view(), name="wellbeing_plan"),
    path(
        "groups/<slug:slug>/dashboard/",
        dashboard.GroupDashboardView.as_view(),
        name="group_dashboard",
    ),
    path(
        "groups/<slug:slug>/dashboard.csv",
        dashboard.GroupDashboardCsvView.as_view(),
        name="group_dashboard_csv",
    ),
    path(
        "groups/<slug:slug>/dashboard/report/",
        dashboard.GroupDashboardReportView.as_view(),
        name="group_dashboard_report",
    ),
    path(
        "organisations/<slug:slug>/dashboard/report/",
        dashboard.OrganisationDashboardReportView.as_view(),
        name="org_dashboard_report",
    ),
    path(
        "organisations/<slug:slug>/dashboard/",
        dashboard.OrganisationDashboardView.as_view(),
        name="org_dashboard",
    ),
    path(
        "organisations/<slug:slug>/dashboard.csv",
        dashboard.OrganisationDashboardCsvView.as_view(),
        name="org_dashboard_csv",
    ),
]
