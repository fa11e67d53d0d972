"""Reading and writing in the group space: the board, a thread, posting, editing,
deleting, reporting, the care page after words of distress, one's own settings."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from groups.views.base import GroupActionView, GroupPermissionMixin
from peersupport import cache
from peersupport.actions import ServiceFormMixin
from peersupport.errors import DomainError
from peersupport.permissions import has_perm
from space import loaders, selectors
from space.forms import SLOW_MODE_CHOICES, ParticipantForm, PostForm, ReportForm, ThreadForm
from space.models import Thread
from space.services import moderation, posts

# The parts of a post drawn alike for everyone who reads the thread (`drawn_posts`).
POST_TEXT = "space/fragments/post_text.html"
POST_REPORT = "space/fragments/post_report_link.html"


def drawn_posts(group, thread: Thread, page: list, version: str) -> dict[int, dict]:
    """{post id: its text and its report link, drawn}: what every reader of the thread
    sees alike of its posts, kept drawn per version of the thread's rows (posts, group,
    authors' names), language and zone. A reader's own post waiting for a facilitator is
    only theirs: it is drawn for them alone, never kept. Buttons that depend on who reads
    (edit, delete, reported, a facilitator's) are drawn around these per request."""
    shown = [post for post in page if not post.is_waiting]
    ids = ",".join(str(post.pk) for post in shown)
    digest = hashlib.blake2b(ids.encode(), digest_size=8).hexdigest()
    zone = timezone.get_current_timezone_name()
    key = f"space-thread:{thread.pk}:{digest}:{get_language()}:{zone}"

    def draw(posts: list) -> dict[int, dict]:
        return {
            post.pk: {
                "text": render_to_string(POST_TEXT, {"item": post}),
                "report": render_to_string(POST_REPORT, {"item": post, "group": group}),
            }
            for post in posts
        }

    found = cache.drawn(key, version, lambda: draw(shown))
    own = draw([post for post in page if post.is_waiting])
    return {**found, **own}


class SpaceContextMixin:
    """What the space's navigation needs on every page (see space/fragments/space_nav)."""

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault("can_moderate", has_perm(user, "space.moderate", self.group))
        kwargs.setdefault("can_choose", has_perm(user, "space.own_settings", self.group))
        if kwargs["can_moderate"]:
            waiting = selectors.waiting_counts([self.group.pk]).get(self.group.pk, 0)
            kwargs.setdefault("waiting_count", waiting)
        return super().get_context_data(**kwargs)


class SpaceMixin(SpaceContextMixin, GroupPermissionMixin):
    permission = "space.read"

    def board_url(self) -> str:
        return reverse("space:board", args=[self.group.slug])

    def written(self, written, thread) -> HttpResponseRedirect:
        """Where a new post sends its author: the care page when it used watched words,
        else the thread (saying so when the post waits for a facilitator)."""
        if written.watched:
            care = reverse("space:care", args=[self.group.slug])
            held = "&held=1" if written.waiting else ""
            return HttpResponseRedirect(f"{care}?thread={thread.pk}{held}")
        if written.waiting:
            messages.info(
                self.request,
                _("Thank you. Your post will appear once a facilitator has read it."),
            )
        else:
            messages.success(self.request, _("Posted."))
        return HttpResponseRedirect(f"{thread.get_absolute_url()}?page=last#post-{written.post.pk}")


class BoardView(SpaceMixin, ListView):
    """The group's threads, pinned first, then the most recently active."""

    template_name = "space/board.html"
    context_object_name = "threads"
    paginate_by = selectors.THREADS_PER_PAGE

    def get_queryset(self):
        return selectors.board_threads(self.group)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for thread in context["threads"]:
            thread.group = self.group  # its link names the group: no query per thread
            thread.shown_as = selectors.shown_name(thread)
            thread.replies = thread.shown_posts - 1
        return {**context, "post_refusal": selectors.post_refusal(self.request.user, self.group)}


class ThreadStartView(SpaceMixin, FormView):
    template_name = "space/thread_form.html"
    form_class = ThreadForm

    def get_context_data(self, **kwargs):
        refusal = selectors.post_refusal(self.request.user, self.group)
        return super().get_context_data(post_refusal=refusal, **kwargs)

    def post(self, request, *args, **kwargs):
        refusal = selectors.post_refusal(request.user, self.group)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(self.board_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            written = posts.thread_start(
                group=self.group, author=self.request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return self.written(written, written.post.thread)


class ThreadView(SpaceMixin, ListView):
    """A thread's posts in order, with the reply form, paginated."""

    template_name = "space/thread.html"
    context_object_name = "posts"
    paginate_by = selectors.POSTS_PER_PAGE

    def get_permission_object(self):
        group = super().get_permission_object()
        self.thread = loaders.thread_or_404(group, self.kwargs["pk"])
        return group

    def get_queryset(self):
        # Read before the posts are: a change landing meanwhile leaves the drawing stale.
        self.rows_version = cache.rows_version(selectors.thread_drawn_scopes(self.thread))
        return selectors.thread_posts(self.thread, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        page = list(context["posts"])
        reported = selectors.reported_by(user, page)
        for post in page:
            post.shown_as = selectors.shown_name(post)
            post.mine = post.author_id == user.pk
            post.editable = selectors.can_edit(post, user)
            post.reported = post.pk in reported
        drawn = drawn_posts(self.group, self.thread, page, self.rows_version)
        for post in page:
            post.drawn = drawn[post.pk]
        refusal = selectors.post_refusal(user, self.group, self.thread)
        reply_url = reverse("space:reply", args=[self.group.slug, self.thread.pk])
        return {
            **context,
            "thread": self.thread,
            "posts": page,
            "post_refusal": refusal,
            "slow_mode_choices": SLOW_MODE_CHOICES,
            "form": None if refusal else PostForm(action=reply_url),
        }


class ReplyView(SpaceMixin, FormView):
    """POST a reply; invalid input or a refusal goes back to the thread with a message."""

    http_method_names = ["post"]
    form_class = PostForm

    def get_permission_object(self):
        group = super().get_permission_object()
        self.thread = loaders.thread_or_404(group, self.kwargs["pk"])
        return group

    def form_invalid(self, form):
        messages.error(self.request, form.errors["body"][0])
        return HttpResponseRedirect(self.thread.get_absolute_url())

    def form_valid(self, form):
        try:
            written = posts.reply_add(
                thread=self.thread, author=self.request.user, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            messages.error(self.request, error.message)
            return HttpResponseRedirect(self.thread.get_absolute_url())
        return self.written(written, self.thread)


class PostEditView(SpaceMixin, FormView):
    """Authors correct their post in the first 15 minutes; it then shows "edited"."""

    template_name = "space/post_edit.html"
    form_class = PostForm

    def get_permission_object(self):
        group = super().get_permission_object()
        self.post_row = loaders.readable_post_or_404(group, self.kwargs["pk"], self.request.user)
        if not selectors.can_edit(self.post_row, self.request.user):
            raise Http404
        return group

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "initial": {"body": self.post_row.body},
            "submit_label": _("Save changes"),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(thread=self.post_row.thread, **kwargs)

    def form_valid(self, form):
        try:
            post = posts.post_edit(
                post=self.post_row, user=self.request.user, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            form.add_error("body", error.message)
            return self.form_invalid(form)
        written = posts.Written(post=post, watched=post.watched_match)
        return self.written(written, post.thread)


class PostDeleteView(SpaceMixin, GroupActionView):
    def act(self, form):
        post = loaders.own_post_or_404(self.group, self.kwargs["pk"], self.request.user)
        self.thread = post.thread
        posts.post_delete(post=post, user=self.request.user)
        return _("Your post was removed.")

    def get_success_url(self):
        thread = getattr(self, "thread", None)
        return thread.get_absolute_url() if thread else self.board_url()


class PostReportView(SpaceMixin, ServiceFormMixin, FormView):
    """Report a post to the facilitators, with a reason; its author never learns who."""

    template_name = "space/post_report.html"
    form_class = ReportForm

    def get_permission_object(self):
        group = super().get_permission_object()
        self.post_row = loaders.others_post_or_404(group, self.kwargs["pk"], self.request.user)
        return group

    def get_context_data(self, **kwargs):
        self.post_row.shown_as = selectors.shown_name(self.post_row)
        return super().get_context_data(post=self.post_row, thread=self.post_row.thread, **kwargs)

    def act(self, form):
        moderation.post_report(post=self.post_row, reporter=self.request.user, **form.cleaned_data)
        return _(
            "Thank you. The facilitators will look at it. The author won't know who reported it."
        )

    def get_success_url(self):
        return self.post_row.thread.get_absolute_url()


class CareView(SpaceMixin, TemplateView):
    """Shown at once to the author of a post with watched words: crisis resources, and
    that the facilitators will reach out. The post itself was not blocked."""

    template_name = "space/care.html"

    def get_context_data(self, **kwargs):
        thread_id = self.request.GET.get("thread", "")
        thread = None
        if thread_id.isdigit() and len(thread_id) < 12:
            thread = Thread.objects.filter(group=self.group, pk=int(thread_id)).first()
        return super().get_context_data(
            thread=thread,
            held=self.request.GET.get("held") == "1",
            resources=self.group.organisation.crisis_resources.strip(),
            **kwargs,
        )


class ParticipantSettingsView(SpaceContextMixin, GroupPermissionMixin, ServiceFormMixin, FormView):
    """One's own name in the space, and reading it while on a break."""

    permission = "space.own_settings"
    template_name = "space/participant_form.html"
    form_class = ParticipantForm

    def settings(self):
        return selectors.group_settings_of(self.group)

    def get_form_kwargs(self):
        found = selectors.participant_of(self.request.user, self.group)
        initial = {}
        if found is not None:
            initial = {
                "pseudonym": found.pseudonym,
                "use_pseudonym": found.use_pseudonym,
                "reads_on_break": found.reads_on_break,
            }
        return {
            **super().get_form_kwargs(),
            "initial": initial,
            "pseudonyms_allowed": self.settings().pseudonyms_allowed,
        }

    def act(self, form):
        data = form.cleaned_data
        posts.participant_settings_save(
            group=self.group,
            user=self.request.user,
            pseudonym=data.get("pseudonym"),
            use_pseudonym=data.get("use_pseudonym"),
            reads_on_break=data["reads_on_break"],
        )
        return _("Saved.")
