"""Joining a group, the facilitator's queue and lists, and a member's own membership."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from groups import selectors
from groups.forms.membership import (
    BreakForm,
    DecisionForm,
    InvitationForm,
    JoinForm,
    MentorMessageForm,
    MentorWillingForm,
    PairingForm,
    RemoveForm,
)
from groups.loaders import get_or_404
from groups.models import Invitation, Membership, Mentorship, PeerGroup
from groups.selectors import roster as reads
from groups.services import membership as services
from groups.services import mentorship as mentorship_services
from groups.views.base import GroupActionView, GroupPermissionMixin
from peersupport.actions import ActionMixin, ServiceFormMixin
from peersupport.errors import DomainError
from peersupport.middleware import mark_private
from peersupport.permissions import PermissionMixin, has_perm

Status = Membership.Status


# --- joining --------------------------------------------------------------------------
class JoinView(GroupPermissionMixin, FormView):
    """GET explains how to join (or why not now); POST asks to join."""

    permission = "groups.join"
    template_name = "groups/membership/join.html"

    def blocker(self) -> str:
        try:
            services.membership_request_check(group=self.group, user=self.request.user)
        except DomainError as error:
            return error.message
        return ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        approval = self.group.join_policy == PeerGroup.JoinPolicy.APPROVAL
        kwargs["questions"] = self.group.intake_question_list if approval else []
        kwargs["submit_label"] = _("Send my request") if approval else _("Join the group")
        return kwargs

    def get_form_class(self):
        return JoinForm

    def get_context_data(self, **kwargs):
        found = selectors.membership(self.request.user, self.group)
        kwargs.update(
            blocker=self.blocker(),
            approval=self.group.join_policy == PeerGroup.JoinPolicy.APPROVAL,
            is_inside=bool(found and found.is_taking_part),
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            membership = services.membership_request(
                group=self.group, user=self.request.user, answers=form.answers()
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if membership.status == Status.ACTIVE:
            messages.success(self.request, _("Welcome to the group!"))
            return redirect(self.inside_url())
        messages.success(
            self.request,
            _("Your request was sent. The facilitators will reply by email."),
        )
        return redirect("groups:mine")


class InvitationView(PermissionMixin, TemplateView):
    """/join/<token>/: the token is the secret, so every state answers 200 and logs nothing."""

    permission = "public"
    template_name = "groups/membership/invitation.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = reads.invitation_by_token(token=kwargs["token"])
        return mark_private(super().dispatch(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        invitation, user = self.invitation, self.request.user
        blocker = ""
        if invitation is None or not invitation.is_usable:
            blocker = _("This invitation link has expired or was already used.")
        elif user.is_authenticated:
            try:
                services.membership_request_check(
                    group=invitation.group, user=user, invitation=invitation
                )
            except DomainError as error:
                blocker = error.message
        kwargs.update(
            invitation=invitation,
            group=invitation.group if invitation else None,
            blocker=blocker,
            here=self.request.path,
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        if self.invitation is None:
            return self.get(request, *args, **kwargs)
        try:
            services.membership_request(
                group=self.invitation.group, user=request.user, invitation=self.invitation
            )
        except DomainError as error:
            messages.error(request, error.message)
            return self.get(request, *args, **kwargs)
        messages.success(request, _("Welcome to the group!"))
        return redirect("groups:inside", self.invitation.group.slug)


# --- a member's own membership ---------------------------------------------------------
class InsideView(GroupPermissionMixin, TemplateView):
    """The group's member area: place and link (when allowed), members, mentor pairing."""

    permission = "groups.member_area"
    template_name = "groups/membership/inside.html"

    def get_context_data(self, **kwargs):
        user, group = self.request.user, self.group
        own = selectors.membership(user, group)
        own = own if own and own.is_taking_part else None
        slug = group.slug
        kwargs.update(
            membership=own,
            can_see_place=selectors.can_see_private_location(user, group),
            member_names=reads.member_names(group=group),
            pairings=list(reads.current_pairings(group=group, user=user)),
            runs_group=has_perm(user, "groups.manage", group),
            break_form=BreakForm(action=reverse("groups:take_break", args=[slug])),
            mentor_form=MentorWillingForm(
                action=reverse("groups:mentor_willing", args=[slug]),
                initial={"willing": bool(own and own.willing_to_mentor)},
            ),
        )
        return super().get_context_data(**kwargs)


class OwnMembershipAction(GroupActionView):
    """POST-only actions on one's own membership; back to the group's member area."""

    permission = "groups.own_membership"

    def get_success_url(self) -> str:
        return self.inside_url()


class TakeBreakView(OwnMembershipAction):
    form_class = BreakForm
    invalid_message = gettext_lazy("Please enter the date as year-month-day, or leave it empty.")

    def get_form_kwargs(self):
        return {"action": ""}

    def act(self, form):
        until = form.cleaned_data["until"]
        services.membership_take_break(membership=self.own_membership(), until=until)
        return _("You are on a break. Take the time you need; we'll be glad to see you back.")


class ComeBackView(OwnMembershipAction):
    def act(self, form):
        services.membership_come_back(membership=self.own_membership())
        return _("Welcome back!")


class MentorWillingView(OwnMembershipAction):
    def act(self, form):
        form = MentorWillingForm(self.request.POST, action="")
        form.is_valid()
        willing = bool(form.cleaned_data.get("willing"))
        mentorship_services.mentor_willing_set(membership=self.own_membership(), willing=willing)
        if willing:
            return _("Thank you for offering to mentor newcomers.")
        return _("You are no longer listed as a mentor.")


class LeaveView(GroupPermissionMixin, ActionMixin, TemplateView):
    """GET asks to confirm; POST leaves the group."""

    permission = "groups.own_membership"
    template_name = "groups/membership/leave_confirm.html"

    def act(self, form):
        services.membership_leave(membership=self.own_membership())
        return _("You have left the group. You are welcome back any time.")

    def get_success_url(self) -> str:
        return reverse("groups:mine")

    def get_failure_url(self) -> str:
        return self.inside_url()


class WithdrawRequestView(GroupActionView):
    permission = "groups.own_request"

    def act(self, form):
        services.membership_withdraw(membership=self.own_membership())
        return _("Your request is withdrawn.")

    def get_success_url(self) -> str:
        return reverse("groups:mine")


class MyGroupsView(PermissionMixin, TemplateView):
    permission = "signed_in"
    template_name = "groups/membership/my_groups.html"

    def get_context_data(self, **kwargs):
        kwargs["memberships"] = reads.memberships_for_person(user=self.request.user)
        return super().get_context_data(**kwargs)


# --- facilitators: requests -----------------------------------------------------------
class RequestsView(GroupPermissionMixin, TemplateView):
    permission = "groups.manage"
    template_name = "groups/membership/requests.html"
    bound: dict = {}

    def rows(self):
        rows = []
        for request_ in reads.pending_requests(group=self.group):
            action = reverse("groups:decide", args=[self.group.slug, request_.pk])
            forms = {}
            for decision in ("approve", "decline"):
                forms[decision] = self.bound.get((request_.pk, decision)) or DecisionForm(
                    action=action, decision=decision, prefix=f"r{request_.pk}-{decision}"
                )
            rows.append({"membership": request_, **forms})
        return rows

    def get_context_data(self, **kwargs):
        kwargs["rows"] = self.rows()
        return super().get_context_data(**kwargs)


class DecideView(RequestsView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = self.membership_in_group(kwargs["pk"])
        decision = "decline" if f"r{membership.pk}-decline-decision" in request.POST else "approve"
        form = DecisionForm(
            request.POST,
            action=request.path,
            decision=decision,
            prefix=f"r{membership.pk}-{decision}",
        )
        if form.is_valid():
            try:
                services.membership_decide(
                    membership=membership,
                    actor=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    message=form.cleaned_data["message"].strip(),
                )
            except DomainError as error:
                messages.error(request, error.message)
                return redirect("groups:requests", self.group.slug)
            if form.cleaned_data["decision"] == "approve":
                done = _("Request from %(name)s approved. We emailed them your message.")
            else:
                done = _("Request from %(name)s declined. We emailed them your message.")
            messages.success(request, done % {"name": membership.user.display_name})
            return redirect("groups:requests", self.group.slug)
        self.bound = {(membership.pk, decision): form}
        return self.render_to_response(self.get_context_data(), status=400)


# --- facilitators: invitations --------------------------------------------------------
class InvitationsView(GroupPermissionMixin, ServiceFormMixin, FormView):
    permission = "groups.manage"
    success_page = "groups:invitations"
    template_name = "groups/membership/invitations.html"
    form_class = InvitationForm

    def get_context_data(self, **kwargs):
        kwargs["invitations"] = reads.invitations_of(group=self.group)
        kwargs["site_url"] = self.request.build_absolute_uri("/").rstrip("/")
        return super().get_context_data(**kwargs)

    def act(self, form):
        services.invitation_create(group=self.group, actor=self.request.user, **form.cleaned_data)
        return _("Invitation link created. Copy it from the list below.")


class InvitationRevokeView(GroupActionView):
    permission = "groups.manage"
    success_page = "groups:invitations"

    def act(self, form):
        services.invitation_revoke(invitation=self.in_group(Invitation, self.kwargs["pk"]))
        return _("The invitation link no longer works.")


# --- facilitators: members, removal, contact details -----------------------------------
class MembersView(GroupPermissionMixin, TemplateView):
    permission = "groups.manage"
    template_name = "groups/membership/members.html"

    def get_context_data(self, **kwargs):
        kwargs["members"] = reads.member_list(group=self.group)
        kwargs["can_view_contacts"] = has_perm(
            self.request.user, "groups.view_contacts", self.group
        )
        return super().get_context_data(**kwargs)


class RemoveView(GroupPermissionMixin, ServiceFormMixin, FormView):
    permission = "groups.manage"
    success_page = "groups:members"
    template_name = "groups/membership/remove_confirm.html"
    form_class = RemoveForm

    def get_context_data(self, **kwargs):
        kwargs["target"] = self.membership_in_group(self.kwargs["pk"])
        return super().get_context_data(**kwargs)

    def act(self, form):
        target = self.membership_in_group(self.kwargs["pk"])
        services.membership_remove(
            membership=target, actor=self.request.user, message=form.cleaned_data["message"]
        )
        return _("%(name)s was removed from the group.") % {"name": target.user.display_name}


class ContactView(GroupPermissionMixin, TemplateView):
    """Email and full name, for the group's facilitators; every view is logged first."""

    permission = "groups.view_contacts"
    template_name = "groups/membership/contact.html"

    def get_context_data(self, **kwargs):
        target = self.membership_in_group(self.kwargs["pk"])
        services.contact_access_log(group=self.group, viewer=self.request.user, member=target.user)
        kwargs["target"] = target
        return super().get_context_data(**kwargs)


# --- facilitators: mentors ------------------------------------------------------------
class MentorsView(GroupPermissionMixin, ServiceFormMixin, FormView):
    permission = "groups.manage"
    success_page = "groups:mentors"
    template_name = "groups/membership/mentors.html"

    def get_form(self, form_class=None):
        return PairingForm(
            **self.get_form_kwargs(),
            newcomers=reads.newcomers_without_mentor(group=self.group),
            mentors=reads.willing_mentors(group=self.group),
        )

    def get_context_data(self, **kwargs):
        kwargs["pairings"] = reads.current_pairings(group=self.group)
        return super().get_context_data(**kwargs)

    def act(self, form):
        mentorship_services.mentorship_pair(
            group=self.group,
            mentor=form.cleaned_data["mentor"].user,
            mentee=form.cleaned_data["mentee"].user,
            actor=self.request.user,
        )
        return _("They are paired. Both see it on the group's page.")


class MentorshipEndView(GroupActionView):
    permission = "groups.manage"
    success_page = "groups:mentors"

    def act(self, form):
        mentorship_services.mentorship_end(mentorship=self.in_group(Mentorship, self.kwargs["pk"]))
        return _("The pairing has ended.")


class MentorshipMessageView(PermissionMixin, FormView):
    """Write to one's mentor (or mentee) through the app: no email addresses shown."""

    permission = "groups.mentorship_message"
    template_name = "groups/membership/mentor_message.html"
    form_class = MentorMessageForm

    def get_permission_object(self):
        mentorships = Mentorship.objects.select_related("group", "mentor", "mentee")
        self.mentorship = get_or_404(
            mentorships, group__slug=self.kwargs["slug"], pk=self.kwargs["pk"]
        )
        return self.mentorship

    def get_context_data(self, **kwargs):
        mentorship, user = self.mentorship, self.request.user
        other = mentorship.mentor if user.pk == mentorship.mentee_id else mentorship.mentee
        return super().get_context_data(
            group=mentorship.group,
            other=other,
            to_mentor=user.pk == mentorship.mentee_id,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            sent = mentorship_services.mentorship_message_send(
                mentorship=self.mentorship,
                sender=self.request.user,
                text=form.cleaned_data["message"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if sent:
            messages.success(self.request, _("Your message is on its way."))
        else:
            messages.warning(
                self.request,
                _(
                    "Your message was not sent: they turned these emails off. You could "
                    "speak to them at the next meeting, or ask a facilitator."
                ),
            )
        return redirect("groups:inside", self.mentorship.group.slug)
