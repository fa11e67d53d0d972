"""Moderating the group space (the group's facilitators) and its watched words (the
organisation's organizers)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from groups.views.base import GroupActionView, GroupPermissionMixin, OrganisationPermissionMixin
from peersupport.actions import ServiceFormMixin
from space import loaders, selectors
from space.forms import (
    GroupSpaceSettingsForm,
    PolicyForm,
    ReviewForm,
    SuspendForm,
    ThreadModerationForm,
)
from space.services import moderation
from space.views.board import SpaceContextMixin
from space.watch import default_phrases_text


class ModerationView(SpaceContextMixin, GroupPermissionMixin, TemplateView):
    """Posts waiting for a facilitator (hidden after reports, held, first posts), posts
    with reports, and who is suspended. Reporters are shown to no one here."""

    permission = "space.moderate"
    template_name = "space/moderation.html"

    def get_context_data(self, **kwargs):
        waiting = list(selectors.moderation_queue(self.group))
        reported = list(selectors.reported_posts(self.group))
        for post in waiting + reported:
            post.shown_as = selectors.shown_name(post)
        suspended = selectors.suspended_participants(self.group)
        for participant in suspended:
            participant.shown_as = participant.pseudonym or participant.user.display_name
        return super().get_context_data(
            waiting=waiting,
            reported=reported,
            suspended=suspended,
            review_form=ReviewForm(),
            **kwargs,
        )


class ModerateMixin:
    permission = "space.moderate"
    success_page = "space:moderation"


class PostReviewView(ModerateMixin, GroupActionView):
    form_class = ReviewForm
    invalid_message = gettext_lazy("Please choose what to do with the post.")

    def act(self, form):
        post = loaders.post_or_404(self.group, self.kwargs["pk"])
        self.thread = post.thread
        moderation.post_review(post=post, by=self.request.user, **form.cleaned_data)
        return {
            "approve": _("Approved: the post is published."),
            "restore": _("Restored: the post is shown again."),
            "remove": _("Removed. The author was told the reason."),
        }[form.cleaned_data["decision"]]

    def get_success_url(self):
        # Removed from the thread page: back to the thread; else the moderation queue.
        if self.request.POST.get("back") == "thread" and hasattr(self, "thread"):
            return self.thread.get_absolute_url()
        return super().get_success_url()


class ThreadModerateView(ModerateMixin, GroupActionView):
    form_class = ThreadModerationForm

    def act(self, form):
        self.thread = loaders.thread_or_404(self.group, self.kwargs["pk"])
        moderation.thread_moderate(thread=self.thread, by=self.request.user, **form.cleaned_data)
        return _("Thread settings saved.")

    def get_success_url(self):
        return reverse("space:thread", args=[self.group.slug, self.kwargs["pk"]])


class SuspendView(SpaceContextMixin, GroupPermissionMixin, ServiceFormMixin, FormView):
    """Suspend the author of a post from posting, for a period, with a reason sent to
    them. The page names the author as their post does (a pseudonym stays one)."""

    permission = "space.moderate"
    template_name = "space/suspend.html"
    form_class = SuspendForm
    success_page = "space:moderation"

    def get_permission_object(self):
        group = super().get_permission_object()
        self.post_row = loaders.post_or_404(group, self.kwargs["pk"])
        return group

    def get_context_data(self, **kwargs):
        self.post_row.shown_as = selectors.shown_name(self.post_row)
        return super().get_context_data(post=self.post_row, **kwargs)

    def act(self, form):
        moderation.participant_suspend(
            post=self.post_row, by=self.request.user, **form.cleaned_data
        )
        return _("Suspended. They were told the reason and until when.")


class UnsuspendView(ModerateMixin, GroupActionView):
    def act(self, form):
        participant = loaders.participant_or_404(self.group, self.kwargs["pk"])
        moderation.participant_unsuspend(participant=participant, by=self.request.user)
        return _("They can post again.")


class AuthorLookupView(SpaceContextMixin, GroupPermissionMixin, TemplateView):
    """POST: who wrote a post under a pseudonym, for safeguarding. Each look-up is in the
    audit log, so it is a deliberate action, never shown on a page by itself."""

    permission = "space.moderate"
    template_name = "space/author_lookup.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        post = loaders.post_or_404(self.group, self.kwargs["pk"])
        name = moderation.author_lookup(post=post, by=request.user)
        context = self.get_context_data(post=post, shown_as=selectors.shown_name(post), name=name)
        return self.render_to_response(context)


class GroupSpaceSettingsView(SpaceContextMixin, GroupPermissionMixin, ServiceFormMixin, FormView):
    permission = "space.moderate"
    template_name = "space/group_settings.html"
    form_class = GroupSpaceSettingsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": selectors.group_settings_of(self.group)}

    def act(self, form):
        moderation.group_settings_save(group=self.group, by=self.request.user, **form.cleaned_data)
        return _("Saved.")


class WatchedWordsView(OrganisationPermissionMixin, ServiceFormMixin, FormView):
    """The organisation's watched words for every group space, and what a match does."""

    permission = "space.watched_words"
    template_name = "space/watched_words.html"
    form_class = PolicyForm

    def get_form_kwargs(self):
        policy = selectors.policy_of(self.organisation.pk)
        return {**super().get_form_kwargs(), "instance": policy}

    def get_context_data(self, **kwargs):
        return super().get_context_data(default_phrases=default_phrases_text(), **kwargs)

    def act(self, form):
        moderation.policy_save(
            organisation=self.organisation, by=self.request.user, **form.cleaned_data
        )
        return _("Saved. New posts are checked against this list.")
