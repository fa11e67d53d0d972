from django.urls import path

from feedback import views, views_goals
from feedback.dashboard import views as dashboard

app_name = "feedback"

urlpatterns = [
    path("meetings/<int:pk>/checkin/", views.CheckinView.as_view(), name="checkin"),
    path("meetings/<int:pk>/checkout/", views.CheckoutView.as_view(), name="checkout"),
    path(
        "organisations/<slug:slug>/checkin-questions/",
        views.QuestionSetView.as_view(),
        name="question_set",
    ),
    path("groups/<slug:slug>/suggestions/", views.SuggestionListView.as_view(), name="suggestions"),
    path(
        "suggestions/<int:pk>/support/",
        views.SuggestionSupportView.as_view(),
        name="suggestion_support",
    ),
    path(
        "suggestions/<int:pk>/respond/",
        views.SuggestionRespondView.as_view(),
        name="suggestion_respond",
    ),
    path("groups/<slug:slug>/review/", views.ReviewScheduleView.as_view(), name="review_schedule"),
    path("groups/<slug:slug>/review/send/", views.ReviewSendNowView.as_view(), name="review_send"),
    path("reviews/<int:pk>/", views.ReviewAnswerView.as_view(), name="review_answer"),
    path("groups/<slug:slug>/goals/", views_goals.GroupGoalListView.as_view(), name="group_goals"),
    path(
        "group-goals/<int:pk>/note/",
        views_goals.GroupGoalNoteView.as_view(),
        name="group_goal_note",
    ),
    path("goals/", views_goals.PersonalGoalListView.as_view(), name="goals"),
    path("goals/<int:pk>/", views_goals.PersonalGoalDetailView.as_view(), name="goal_detail"),
    path(
        "goals/<int:pk>/achieve/",
        views_goals.PersonalGoalAchieveView.as_view(),
        name="goal_achieve",
    ),
    path("wellbeing/", views_goals.WellbeingView.as_view(), name="wellbeing"),
    path("wellbeing/plan/", views_goals.WellbeingPlanView.as_view(), name="wellbeing_plan"),
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
