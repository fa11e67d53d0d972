"""The group's suggestion box: add, support, respond."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from feedback import selectors, services
from feedback.forms.suggestions import SuggestionForm, SuggestionReplyForm
from feedback.models import Suggestion
from groups.loaders import get_or_404
from groups.views.base import GroupPermissionMixin
from peersupport.actions import ActionView, RefusePostMixin
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin, has_perm


# --- Suggestion box -------------------------------------------------------------------------
class SuggestionListView(GroupPermissionMixin, RefusePostMixin, FormView):
    permission = "feedback.suggestions"
    template_name = "feedback/suggestion_list.html"
    form_class = SuggestionForm

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            group=self.group,
            suggestions=selectors.suggestions_for(group=self.group, viewer=user),
            can_suggest=has_perm(user, "feedback.suggest", self.group),
            can_manage=has_perm(user, "feedback.suggestions_manage", self.group),
            **kwargs,
        )

    def post_refusal(self) -> str:
        if has_perm(self.request.user, "feedback.suggest", self.group):
            return ""
        return _("Only members of the group can add suggestions.")

    def form_valid(self, form):
        try:
            added = services.suggestion_add(
                group=self.group,
                author=self.request.user,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        if added is None:
            messages.success(
                self.request,
                _(
                    "Thank you. Anonymous suggestions are added to the box together, "
                    "within the hour, so nobody can tell who wrote them."
                ),
            )
        else:
            messages.success(self.request, _("Thank you, your suggestion was added."))
        return HttpResponseRedirect(self.request.path)


def _suggestion_group(view) -> object:
    """Load the suggestion for the view; its group is what the permission rule checks."""
    suggestions = Suggestion.objects.select_related("group")
    view.suggestion = get_or_404(suggestions, pk=view.kwargs["pk"])
    return view.suggestion.group


def _back_to_box(suggestion: Suggestion) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("feedback:suggestions", args=[suggestion.group.slug]))


class SuggestionSupportView(ActionView):
    permission = "feedback.suggest"

    def get_permission_object(self):
        return _suggestion_group(self)

    def act(self, form):
        member = self.request.user
        if services.suggestion_support(suggestion=self.suggestion, member=member):
            return _("You support this idea.")
        messages.info(self.request, _("You already support this idea."))
        return ""

    def get_success_url(self) -> str:
        return _back_to_box(self.suggestion).url


class SuggestionRespondView(PermissionMixin, FormView):
    permission = "feedback.suggestions_manage"
    template_name = "feedback/suggestion_respond.html"
    form_class = SuggestionReplyForm

    def get_permission_object(self):
        return _suggestion_group(self)

    def get_initial(self):
        status = self.suggestion.status
        return {"status": "planned" if status == "open" else status, "reply": self.suggestion.reply}

    def get_context_data(self, **kwargs):
        return super().get_context_data(suggestion=self.suggestion, **kwargs)

    def form_valid(self, form):
        services.suggestion_respond(
            suggestion=self.suggestion,
            status=form.cleaned_data["status"],
            reply=form.cleaned_data["reply"],
        )
        messages.success(self.request, _("Members now see the new status."))
        return _back_to_box(self.suggestion)
