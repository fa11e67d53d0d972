from django.urls import path

from groups.views import directory, flyer, invitations, manage, membership, organisations

app_name = "groups"
urlpatterns = [
    # --- directory, landing pages, organisations --------------------
    path("groups/", directory.DirectoryView.as_view(), name="directory"),
    path("groups/<slug:slug>/", directory.GroupDetailView.as_view(), name="detail"),
    path("groups/<slug:slug>/edit/", manage.GroupUpdateView.as_view(), name="edit"),
    path("organise/", organisations.OrganiseView.as_view(), name="organise"),
    path("orgs/new/", organisations.OrganisationCreateView.as_view(), name="organisation_create"),
    path(
        "orgs/<slug:slug>/",
        organisations.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "orgs/<slug:slug>/edit/",
        organisations.OrganisationUpdateView.as_view(),
        name="organisation_edit",
    ),
    path("orgs/<slug:slug>/groups/new/", manage.GroupCreateView.as_view(), name="group_create"),
    path(
        "orgs/<slug:slug>/people/",
        organisations.OrganisationPeopleView.as_view(),
        name="organisation_people",
    ),
    path(
        "orgs/<slug:slug>/people/organizers/",
        organisations.OrganizerAddView.as_view(),
        name="organizer_add",
    ),
    path(
        "orgs/<slug:slug>/people/organizers/<int:pk>/remove/",
        organisations.OrganizerRemoveView.as_view(),
        name="organizer_remove",
    ),
    path(
        "orgs/<slug:slug>/people/facilitators/",
        organisations.FacilitatorAddView.as_view(),
        name="facilitator_add",
    ),
    path(
        "orgs/<slug:slug>/people/facilitators/<int:pk>/remove/",
        organisations.FacilitatorRemoveView.as_view(),
        name="facilitator_remove",
    ),
    path("orgs/<slug:slug>/partners/", organisations.PartnerListView.as_view(), name="partners"),
    path(
        "orgs/<slug:slug>/partners/<int:pk>/remove/",
        organisations.PartnerRemoveView.as_view(),
        name="partner_remove",
    ),
    # --- joining, membership, member list, mentors -----------------
    path("groups/<slug:slug>/flyer/", flyer.GroupFlyerView.as_view(), name="flyer"),
    path("groups/<slug:slug>/join/", membership.JoinView.as_view(), name="join"),
    path("join/<str:token>/", membership.InvitationView.as_view(), name="invitation"),
    path("me/groups/", membership.MyGroupsView.as_view(), name="mine"),
    path("me/invitations/", invitations.RoleInvitationsView.as_view(), name="role_invitations"),
    path(
        "me/invitations/<str:token>/",
        invitations.RoleInvitationView.as_view(),
        name="role_invitation",
    ),
    path(
        "me/invitations/<str:token>/accept/",
        invitations.RoleInvitationAcceptView.as_view(),
        name="role_invitation_accept",
    ),
    path(
        "me/invitations/<str:token>/decline/",
        invitations.RoleInvitationDeclineView.as_view(),
        name="role_invitation_decline",
    ),
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
    path(
        "groups/<slug:slug>/inside/mentor/<int:pk>/message/",
        membership.MentorshipMessageView.as_view(),
        name="mentorship_message",
    ),
    path("groups/<slug:slug>/leave/", membership.LeaveView.as_view(), name="leave"),
    path(
        "groups/<slug:slug>/withdraw/",
        membership.WithdrawRequestView.as_view(),
        name="withdraw_request",
    ),
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

# --- agreements -------------------------------------------------------------
from groups.urls_agreements import urlpatterns as agreement_urlpatterns  # noqa: E402

urlpatterns += agreement_urlpatterns

# --- safety and privacy ----------------------------------------------------
from groups.urls_safety import urlpatterns as safety_urlpatterns  # noqa: E402

urlpatterns += safety_urlpatterns
