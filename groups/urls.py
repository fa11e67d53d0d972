from django.urls import path

from groups.views import membership

app_name = "groups"
urlpatterns = [
    # --- joining, membership, member list, mentors (issue 4, part 2) -----------------
    path("groups/<slug:slug>/join/", membership.JoinView.as_view(), name="join"),
    path("join/<str:token>/", membership.InvitationView.as_view(), name="invitation"),
    path("me/groups/", membership.MyGroupsView.as_view(), name="mine"),
    path("groups/<slug:slug>/inside/", membership.InsideView.as_view(), name="inside"),
    path(
        "groups/<slug:slug>/inside/break/",
        membership.TakeBreakView.as_view(),
        name="take_break",
    ),
    path("groups/<slug:slug>/inside/back/", membership.ComeBackView.as_view(), name="come_back"),
    path(
        "groups/<slug:slug>/inside/mentor/",
        membership.MentorWillingView.as_view(),
        name="mentor_willing",
    ),
    path("groups/<slug:slug>/leave/", membership.LeaveView.as_view(), name="leave"),
    path("groups/<slug:slug>/requests/", membership.RequestsView.as_view(), name="requests"),
    path(
        "groups/<slug:slug>/requests/<int:pk>/",
        membership.DecideView.as_view(),
        name="decide",
    ),
    path(
        "groups/<slug:slug>/invitations/",
        membership.InvitationsView.as_view(),
        name="invitations",
    ),
    path(
        "groups/<slug:slug>/invitations/<int:pk>/revoke/",
        membership.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path("groups/<slug:slug>/members/", membership.MembersView.as_view(), name="members"),
    path(
        "groups/<slug:slug>/members/<int:pk>/remove/",
        membership.RemoveView.as_view(),
        name="member_remove",
    ),
    path(
        "groups/<slug:slug>/members/<int:pk>/contact/",
        membership.ContactView.as_view(),
        name="member_contact",
    ),
    path("groups/<slug:slug>/mentors/", membership.MentorsView.as_view(), name="mentors"),
    path(
        "groups/<slug:slug>/mentors/<int:pk>/end/",
        membership.MentorshipEndView.as_view(),
        name="mentorship_end",
    ),
]
