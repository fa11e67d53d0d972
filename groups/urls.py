from groups.views import directory, flyer, invitations, manage, membership, organisations
from peersupport.routes import routes

app_name = "groups"
urlpatterns = routes(
    [
        # --- directory, landing pages, organisations --------------------
        ("groups/", directory.DirectoryView, "directory"),
        ("groups/<slug:slug>/", directory.GroupDetailView, "detail"),
        ("groups/<slug:slug>/edit/", manage.GroupUpdateView, "edit"),
        ("organise/", organisations.OrganiseView, "organise"),
        ("orgs/new/", organisations.OrganisationCreateView, "organisation_create"),
        ("orgs/<slug:slug>/", organisations.OrganisationDetailView, "organisation_detail"),
        ("orgs/<slug:slug>/edit/", organisations.OrganisationUpdateView, "organisation_edit"),
        ("orgs/<slug:slug>/groups/new/", manage.GroupCreateView, "group_create"),
        ("orgs/<slug:slug>/people/", organisations.OrganisationPeopleView, "organisation_people"),
        ("orgs/<slug:slug>/people/organizers/", organisations.OrganizerAddView, "organizer_add"),
        (
            "orgs/<slug:slug>/people/organizers/<int:pk>/remove/",
            organisations.OrganizerRemoveView,
            "organizer_remove",
        ),
        (
            "orgs/<slug:slug>/people/facilitators/",
            organisations.FacilitatorAddView,
            "facilitator_add",
        ),
        (
            "orgs/<slug:slug>/people/facilitators/<int:pk>/remove/",
            organisations.FacilitatorRemoveView,
            "facilitator_remove",
        ),
        ("orgs/<slug:slug>/partners/", organisations.PartnerListView, "partners"),
        (
            "orgs/<slug:slug>/partners/<int:pk>/remove/",
            organisations.PartnerRemoveView,
            "partner_remove",
        ),
        # --- joining, membership, member list, mentors -----------------
        ("groups/<slug:slug>/flyer/", flyer.GroupFlyerView, "flyer"),
        ("groups/<slug:slug>/join/", membership.JoinView, "join"),
        ("join/<str:token>/", membership.InvitationView, "invitation"),
        ("me/groups/", membership.MyGroupsView, "mine"),
        ("me/invitations/", invitations.RoleInvitationsView, "role_invitations"),
        ("me/invitations/<str:token>/", invitations.RoleInvitationView, "role_invitation"),
        (
            "me/invitations/<str:token>/accept/",
            invitations.RoleInvitationAcceptView,
            "role_invitation_accept",
        ),
        (
            "me/invitations/<str:token>/decline/",
            invitations.RoleInvitationDeclineView,
            "role_invitation_decline",
        ),
        ("groups/<slug:slug>/inside/", membership.InsideView, "inside"),
        ("groups/<slug:slug>/inside/break/", membership.TakeBreakView, "take_break"),
        ("groups/<slug:slug>/inside/back/", membership.ComeBackView, "come_back"),
        ("groups/<slug:slug>/inside/mentor/", membership.MentorWillingView, "mentor_willing"),
        (
            "groups/<slug:slug>/inside/mentor/<int:pk>/message/",
            membership.MentorshipMessageView,
            "mentorship_message",
        ),
        ("groups/<slug:slug>/leave/", membership.LeaveView, "leave"),
        ("groups/<slug:slug>/withdraw/", membership.WithdrawRequestView, "withdraw_request"),
        ("groups/<slug:slug>/requests/", membership.RequestsView, "requests"),
        ("groups/<slug:slug>/requests/<int:pk>/", membership.DecideView, "decide"),
        ("groups/<slug:slug>/invitations/", membership.InvitationsView, "invitations"),
        (
            "groups/<slug:slug>/invitations/<int:pk>/revoke/",
            membership.InvitationRevokeView,
            "invitation_revoke",
        ),
        ("groups/<slug:slug>/members/", membership.MembersView, "members"),
        ("groups/<slug:slug>/members/<int:pk>/remove/", membership.RemoveView, "member_remove"),
        ("groups/<slug:slug>/members/<int:pk>/contact/", membership.ContactView, "member_contact"),
        ("groups/<slug:slug>/mentors/", membership.MentorsView, "mentors"),
        (
            "groups/<slug:slug>/mentors/<int:pk>/end/",
            membership.MentorshipEndView,
            "mentorship_end",
        ),
    ]
)

# --- agreements -------------------------------------------------------------
from groups.urls_agreements import urlpatterns as agreement_urlpatterns  # noqa: E402

urlpatterns += agreement_urlpatterns

# --- safety and privacy ----------------------------------------------------
from groups.urls_safety import urlpatterns as safety_urlpatterns  # noqa: E402

urlpatterns += safety_urlpatterns
