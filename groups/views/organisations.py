"""Organisations: create, edit, the public page, people (organizers and facilitators),
partners, and the "Organise" page of everything a person runs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, TemplateView, UpdateView, View

from groups import selectors
from groups.forms.organisations import (
    AppointFacilitatorForm,
    AppointOrganizerForm,
    OrganisationForm,
    PartnerForm,
)
from groups.loaders import get_or_404
from groups.models import (
    Membership,
    Organisation,
    OrganisationRole,
    PartnerOrganisation,
    RoleInvitation,
)
from groups.services import GroupsError
from groups.services import organisations as services
from groups.views.base import OrganisationActionView, OrganisationPermissionMixin
from groups.views.directory import VisitorPermissionMixin
from peersupport.actions import ServiceFormMixin
from peersupport.permissions import PermissionMixin, has_perm


class OrganisationCreateView(PermissionMixin, CreateView):
    permission = "organisations.create"
    form_class = OrganisationForm
    template_name = "groups/organisation_form.html"

    def form_valid(self, form):
        try:
            organisation = services.organisation_create(
                user=self.request.user, data=form.cleaned_data
            )
        except GroupsError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your organisation is set up. You are its first organizer.")
        )
        return HttpResponseRedirect(organisation.get_absolute_url())


class OrganisationUpdateView(OrganisationPermissionMixin, ServiceFormMixin, UpdateView):
    form_class = OrganisationForm
    template_name = "groups/organisation_form.html"

    def get_object(self, queryset=None):
        return self.get_organisation()

    def act(self, form):
        services.organisation_update(organisation=self.object, data=form.cleaned_data)
        return _("The organisation's details are saved.")

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()


class OrganisationDetailView(VisitorPermissionMixin, DetailView):
    """Public: what the organisation does, its partners and its listed groups."""

    permission = "public"
    template_name = "groups/organisation_detail.html"
    context_object_name = "organisation"
    slug_url_kwarg = "slug"
    model = Organisation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        context.update(
            partners=list(organisation.partners.all()),
            groups=list(organisation.groups.listed().order_by("name")),
            can_manage=has_perm(self.request.user, "organisations.manage", organisation),
        )
        return context


class OrganisationPeopleView(OrganisationPermissionMixin, TemplateView):
    """Organizers and facilitators of the organisation, with forms to appoint more."""

    template_name = "groups/organisation_people.html"

    def get_context_data(self, **kwargs):
        organisation = self.get_organisation()
        kwargs.setdefault("organizer_form", AppointOrganizerForm())
        kwargs.setdefault("facilitator_form", AppointFacilitatorForm(organisation=organisation))
        slug = organisation.slug
        kwargs["organizer_form"].helper.form_action = reverse("groups:organizer_add", args=[slug])
        kwargs["facilitator_form"].helper.form_action = reverse(
            "groups:facilitator_add", args=[slug]
        )
        kwargs["organizers"] = (
            organisation.roles.filter(role=OrganisationRole.Role.ORGANIZER)
            .select_related("user")
            .order_by("user__display_name")
        )
        kwargs["facilitators"] = (
            Membership.objects.filter(
                group__organisation=organisation,
                role=Membership.Role.FACILITATOR,
                status=Membership.Status.ACTIVE,
            )
            .select_related("group", "user")
            .order_by("group__name", "user__display_name")
        )
        return super().get_context_data(**kwargs)


class _AppointView(OrganisationPermissionMixin, View):
    """POST only: on a problem the people page is shown again with the message."""

    http_method_names = ["post"]

    def render_people(self, **forms):
        view = OrganisationPeopleView(request=self.request, kwargs=self.kwargs)
        view._organisation = self.get_organisation()
        context = view.get_context_data(**forms)
        return render(self.request, view.template_name, context)

    def done(self, message: str):
        messages.success(self.request, message)
        return HttpResponseRedirect(
            reverse("groups:organisation_people", args=[self.get_organisation().slug])
        )


def _invitation_sent(email: str) -> str:
    """The same words whether or not the address has an account, or already has the role."""
    return _("Invitation sent to %(email)s. Nothing changes for them until they accept it.") % {
        "email": email
    }


class OrganizerAddView(_AppointView):
    """Invites an organizer (see `role_invitation_send`): nothing changes until accepted."""

    def post(self, request, *args, **kwargs):
        form = AppointOrganizerForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            services.role_invitation_send(
                organisation=self.get_organisation(),
                email=email,
                role=RoleInvitation.Role.ORGANIZER,
                by=request.user,
            )
            return self.done(_invitation_sent(email))
        return self.render_people(organizer_form=form)


class FacilitatorAddView(_AppointView):
    """Invites a facilitator of one of the organisation's groups."""

    def post(self, request, *args, **kwargs):
        form = AppointFacilitatorForm(request.POST, organisation=self.get_organisation())
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                services.role_invitation_send(
                    organisation=self.get_organisation(),
                    group=form.cleaned_data["group"],
                    email=email,
                    role=RoleInvitation.Role.FACILITATOR,
                    by=request.user,
                )
            except GroupsError as error:
                form.add_error("group", error.message)
            else:
                return self.done(_invitation_sent(email))
        return self.render_people(facilitator_form=form)


class _PersonRemoveView(OrganisationActionView):
    def get_success_url(self) -> str:
        return reverse("groups:organisation_people", args=[self.get_organisation().slug])

    def get_failure_url(self) -> str:
        return _PersonRemoveView.get_success_url(self)


class OrganizerRemoveView(_PersonRemoveView):
    def act(self, form):
        organizers = OrganisationRole.objects.select_related("user")
        self.role = get_or_404(
            organizers,
            pk=self.kwargs["pk"],
            organisation=self.get_organisation(),
            role=OrganisationRole.Role.ORGANIZER,
        )
        services.organisation_remove_organizer(role=self.role)
        if self.role.user_id == self.request.user.pk:
            return _("You are no longer an organizer of this organisation.")
        return _("%(name)s is no longer an organizer.") % {"name": self.role.user.display_name}

    def get_success_url(self) -> str:
        if self.role.user_id == self.request.user.pk:  # they can no longer see the page
            return reverse("groups:organise")
        return super().get_success_url()


class FacilitatorRemoveView(_PersonRemoveView):
    def act(self, form):
        membership = get_or_404(
            Membership.objects.select_related("user", "group"),
            pk=self.kwargs["pk"],
            group__organisation=self.get_organisation(),
        )
        services.group_remove_facilitator(membership=membership, actor=self.request.user)
        return _("%(name)s no longer facilitates %(group)s and stays a member.") % {
            "name": membership.user.display_name,
            "group": membership.group.name,
        }


class PartnerListView(OrganisationPermissionMixin, TemplateView):
    """Partner organisations: the list, a form to add one (POST), remove buttons."""

    template_name = "groups/partner_list.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PartnerForm())
        kwargs["partners"] = list(self.get_organisation().partners.all())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = PartnerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        partner = services.partner_add(organisation=self.get_organisation(), data=form.cleaned_data)
        messages.success(request, _("%(name)s is listed as a partner.") % {"name": partner.name})
        return HttpResponseRedirect(request.path)


class PartnerRemoveView(OrganisationActionView):
    def act(self, form):
        organisation = self.get_organisation()
        partners = PartnerOrganisation.objects.all()
        partner = get_or_404(partners, pk=self.kwargs["pk"], organisation=organisation)
        services.partner_remove(partner=partner)
        return _("%(name)s is no longer listed.") % {"name": partner.name}

    def get_success_url(self) -> str:
        return reverse("groups:partners", args=[self.get_organisation().slug])


class OrganiseView(PermissionMixin, TemplateView):
    """Everything this person runs: organisations and groups, with links to manage them."""

    permission = "signed_in"
    template_name = "groups/organise.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            organisations=list(selectors.organisations_run_by(user).order_by("name")),
            groups=list(selectors.groups_run_by(user)),
        )
        return context
