from groups.views import directory, flyer, invitations, manage, membership
from groups.views import organisations as orgs
from peersupport.routes import routes

app_name = "groups"
urlpatterns = (
    # --- directory, landing pages, organisations --------------------
    routes(
        [
            ("groups/", directory.DirectoryView, "directory"),
            ("organise/", orgs.OrganiseView, "organise"),
            ("orgs/new/", orgs.OrganisationCreateView, "organisation_create"),
            ("join/<str:token>/", membership.InvitationView, "invitation"),
            ("me/groups/", membership.MyGroupsView, "mine"),
        ]
    )
    + routes(
        [
            ("", orgs.OrganisationDetailView, "organisation_detail"),
            ("edit/", orgs.OrganisationUpdateView, "organisation_edit"),
            ("groups/new/", manage.GroupCreateView, "group_create"),
            ("people/", orgs.OrganisationPeopleView, "organisation_people"),
            ("people/organizers/", orgs.OrganizerAddView, "organizer_add"),
            ("people/organizers/<int:pk>/remove/", orgs.OrganizerRemoveView, "organizer_remove"),
            ("people/facilitators/", orgs.FacilitatorAddView, "facilitator_add"),
            (
                "people/facilitators/<int:pk>/remove/",
                orgs.FacilitatorRemoveView,
                "facilitator_remove",
            ),
            ("partners/", orgs.PartnerListView, "partners"),
            ("partners/<int:pk>/remove/", orgs.PartnerRemoveView, "partner_remove"),
        ],
        prefix="orgs/<slug:slug>/",
    )
    # --- invitations to a role ---------------------------------------
    + routes(
        [
            ("", invitations.RoleInvitationsView, "role_invitations"),
            ("<str:token>/", invitations.RoleInvitationView, "role_invitation"),
            ("<str:token>/accept/", invitations.RoleInvitationAcceptView, "role_invitation_accept"),
            (
                "<str:token>/decline/",
                invitations.RoleInvitationDeclineView,
                "role_invitation_decline",
            ),
        ],
        prefix="me/invitations/",
    )
    # --- a group: its page, joining, membership, member list, mentors --
    + routes(
        [
            ("", directory.GroupDetailView, "detail"),
            ("edit/", manage.GroupUpdateView, "edit"),
            ("flyer/", flyer.GroupFlyerView, "flyer"),
            ("join/", membership.JoinView, "join"),
            ("inside/", membership.InsideView, "inside"),
            ("inside/break/", membership.TakeBreakView, "take_break"),
            ("inside/back/", membership.ComeBackView, "come_back"),
            ("inside/mentor/", membership.MentorWillingView, "mentor_willing"),
            (
                "inside/mentor/<int:pk>/message/",
                membership.MentorshipMessageView,
                "mentorship_message",
            ),
            ("leave/", membership.LeaveView, "leave"),
            ("withdraw/", membership.WithdrawRequestView, "withdraw_request"),
            ("requests/", membership.RequestsView, "requests"),
            ("requests/<int:pk>/", membership.DecideView, "decide"),
            ("invitations/", membership.InvitationsView, "invitations"),
            ("invitations/<int:pk>/revoke/", membership.InvitationRevokeView, "invitation_revoke"),
            ("members/", membership.MembersView, "members"),
            ("members/<int:pk>/remove/", membership.RemoveView, "member_remove"),
            ("members/<int:pk>/contact/", membership.ContactView, "member_contact"),
            ("mentors/", membership.MentorsView, "mentors"),
            ("mentors/<int:pk>/end/", membership.MentorshipEndView, "mentorship_end"),
        ],
        prefix="groups/<slug:slug>/",
    )
)

# --- agreements -------------------------------------------------------------
from groups.urls_agreements import urlpatterns as agreement_urlpatterns  # noqa: E402

urlpatterns += agreement_urlpatterns

# --- safety and privacy ----------------------------------------------------
from groups.urls_safety import urlpatterns as safety_urlpatterns  # noqa: E402

urlpatterns += safety_urlpatterns
