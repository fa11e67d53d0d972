"""Reading and writing in the group space: the board, a thread, posting, editing,
deleting, reporting, the care page after words of distress, one's own settings."""

from __future__ import annotations

import hashlib

from crispy_forms.utils import render_crispy_form
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from groups.loaders import kept_group_or_404
from groups.views.base import GroupActionView, GroupPermissionMixin
from peersupport import cache
from peersupport.actions import ServiceFormMixin
from peersupport.errors import DomainError
from peersupport.permissions import has_perm
from space import loaders, selectors
from space.forms import SLOW_MODE_CHOICES, ParticipantForm, PostForm, ReportForm, ThreadForm
from space.models import Post, Thread
from space.services import moderation, posts

# A post of a thread; its text and report link are drawn alike for every reader.
POST = "space/fragments/post.html"
POST_TEXT = "space/fragments/post_text.html"
POST_REPORT = "space/fragments/post_report_link.html"
PAGES = "space/fragments/pages.html"


def _texts(group, posts: list[Post], rows: dict[int, tuple]) -> dict[int, tuple[str, str]]:
    """{post id: (its text, its report link)}, in order, as every reader sees them. Names
    come from the rows, as kept."""
    drawn = {}
    for post in posts:
        post.shown_as = selectors.kept_name_shown(rows[post.pk][4])
        text = render_to_string(POST_TEXT, {"item": post})
        report = (
            "" if post.is_waiting else render_to_string(POST_REPORT, {"item": post, "group": group})
        )
        drawn[post.pk] = (text, report)
    return drawn


def _join(group, posts: list[Post], rows: dict[int, tuple]) -> dict:
    """These posts' cards as a reader sees them who neither wrote, reported nor moderates
    them, joined in order ("html"), and where each card, its text and its report link lie
    in it ("spans": {post id: (start, end, text start, text end, report start, report
    end)}): a reader's own cards are swapped in around the kept text, kept only once."""
    parts, spans, at = [], {}, 0
    plain = {"group": group, "can_moderate": False}
    removed = {post.pk for post in posts if post.is_removed}
    for pk, (text, report) in _texts(group, posts, rows).items():
        item = {
            "pk": pk,
            "author_id": rows[pk][1],
            "shown_as": selectors.kept_name_shown(rows[pk][4]),
            "is_removed": pk in removed,
            "is_waiting": False,
            "mine": False,
            "editable": False,
            "reported": False,
        }
        card = _render_card(plain, item, text, report)
        text_at = at + card.index(text)
        # A removed post's card has no report link (nor is it ever drawn otherwise).
        found = card.find(report, text_at - at + len(text)) if report else -1
        report, report_at = (report, at + found) if found >= 0 else ("", text_at)
        end = at + len(card)
        spans[pk] = (at, end, text_at, text_at + len(text), report_at, report_at + len(report))
        parts.append(card)
        at = end
    return {"html": "".join(parts), "spans": spans}


def _render_card(context: dict, item: dict, text: str, report: str) -> str:
    """One post card (`POST`), rendered without the context processors: it reads nothing
    of the request but the CSRF token it may be given."""
    card = get_template(POST).template
    return card.render(Context({**context, "item": item, "text": text, "report": report}))


def _cards_key(thread_id: int, place: str) -> str:
    zone = timezone.get_current_timezone_name()
    return f"space-thread-page:{thread_id}:{place}:{get_language()}:{zone}"


def drawn_posts(group, thread: Thread, number: int, page: list, version: str, *, own: bool) -> dict:
    """What every reader sees alike of this page of the thread, kept drawn per version of
    the thread's rows (posts, group, authors' names), page, language and zone:
    {"html": its cards joined, "spans": where each lies (`_join`), "reply": the reply
    form's fields}, and "own": {post id: (text, "")} of the reader's own posts waiting
    for a facilitator on the page, drawn for them alone, never kept (`own`: they have
    some in the thread); as they shift the pages, the other posts of their pages are
    kept apart, under which posts are on them. `page`: the page's rows as plain tuples."""
    rows = {row[0]: row for row in page}
    shown = [row[0] for row in page if row[2] not in Post.WAITING]
    digest = hashlib.blake2b(",".join(map(str, shown)).encode(), digest_size=8).hexdigest()
    place = f"{number}-{digest}" if own else str(number)

    def read(ids: list[int], statuses: tuple) -> list[Post]:
        # Read now, so perhaps newer than the rows (then their version is already stale):
        # a post hidden meanwhile is left out, never drawn from its new state.
        posts = Post.objects.filter(thread=thread, pk__in=ids, status__in=statuses)
        return list(posts.order_by("created_at", "pk")) if ids else []

    def draw_page() -> dict:
        form = PostForm()
        form.helper.form_tag = False  # the <form> and its CSRF token are the reader's
        joined = _join(group, read(shown, Post.SHOWN), rows)
        return {**joined, "reply": render_crispy_form(form)}

    found = cache.drawn(_cards_key(thread.pk, place), version and f"{version}:{digest}", draw_page)
    # The reader's own (`thread_rows_for` picked only theirs).
    waiting = [row[0] for row in page if row[2] in Post.WAITING]
    if not waiting:
        return {**found, "own": {}}
    return {**found, "own": _texts(group, read(waiting, Post.WAITING), rows)}


def read_thread_page_ahead(request, group, pk: int) -> None:
    """What a thread's page reads from the cache, in one round trip: the thread's rows,
    the page's drawn posts (when it names its page by number), the reader's own row in
    the space and what they reported."""
    user = request.user
    if not cache.enabled() or not user.is_authenticated:
        return
    scopes = selectors.thread_drawn_scopes(pk, group.pk)
    keys = [loaders.thread_page_key(group.pk, pk)]
    number = request.GET.get("page", "1")
    if number.isdigit() and len(number) < 6:
        keys.append(cache.drawn_key(_cards_key(pk, str(int(number)))))
    more = [selectors.participant_entry(group.pk, user.pk), selectors.reported_entry(pk, user.pk)]
    cache.read_ahead(
        [*keys, *(key for key, _ in more)], [*scopes, *(s for _, k in more for s in k)]
    )


def post_cards(
    request, thread: Thread, page: list, drawn: dict, *, can_moderate: bool, csrf_token: str
) -> str:
    """The page's posts as this reader sees them: the kept cards as they are, and those
    with buttons of their own (their own posts: Edit within 15 minutes, Delete; "You
    reported this"; a facilitator's tools) drawn for them around the kept text and put in
    their place. `page`: the page's rows as plain tuples."""
    user = request.user
    user_id = user.pk  # once: `request.user` is a lazy object
    reported = selectors.reported_in(user, thread.pk)
    html, spans, own = drawn["html"], drawn["spans"], drawn["own"]
    out, cursor, last_end, context = [], 0, 0, None
    for row in page:
        pk = row[0]
        span = spans.get(pk)
        if span is None:
            parts = own.get(pk)  # their own waiting post (else gone since the rows were read)
            if parts is None:
                continue
            start = end = last_end
            text, report = parts
        elif row[2] in Post.REMOVED or not (row[1] == user_id or can_moderate or pk in reported):
            last_end = span[1]
            continue
        else:
            start, end = span[0], span[1]
            # Slices of what was drawn from our own templates, safe as it was.
            text = mark_safe(html[span[2] : span[3]])  # noqa: S308 # nosec B308 B703
            report = mark_safe(html[span[4] : span[5]])  # noqa: S308 # nosec B308 B703
        if context is None:
            context = {"group": thread.group, "can_moderate": can_moderate}
            context["csrf_token"] = csrf_token
        post = selectors.PostRow._make(row)
        mine = post.author_id == user_id
        item = {
            "pk": pk,
            "author_id": post.author_id,
            "shown_as": post.shown_as,
            "is_removed": False,
            "is_waiting": post.is_waiting,
            "mine": mine,
            "editable": selectors.can_edit(post, user),
            "reported": pk in reported,
        }
        out.append(html[cursor:start])
        out.append(_render_card(context, item, text, report))
        cursor = last_end = end
    out.append(html[cursor:])
    # Kept and fresh cards alike are the output of our own autoescaping templates.
    return mark_safe("".join(out))  # noqa: S308 # nosec B308 B703


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
        refusal = selectors.post_refusal(self.request.user, self.group)
        return {**context, "post_refusal": refusal, "page_query": self.request.GET}


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
        # The most read page of the space: its group is kept, not read on every request.
        group = self.group = kept_group_or_404(self.kwargs["slug"])
        read_thread_page_ahead(self.request, group, self.kwargs["pk"])
        self.thread, self.rows, self.rows_version = loaders.thread_page_or_404(
            group, self.kwargs["pk"]
        )
        return group

    def get_queryset(self):
        return selectors.thread_rows_for(self.rows, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page_obj = context["page_obj"]
        page = page_obj.object_list
        # Waiting posts on the reader's pages (their own, or a facilitator's queue) make
        # their pages theirs: those pages never go under the key every reader shares.
        own = any(row[2] in Post.WAITING for row in self.object_list)
        drawn = drawn_posts(
            self.group, self.thread, page_obj.number, page, self.rows_version, own=own
        )
        # One CSRF token for the whole page (its forms and the cards drawn here), rather
        # than one more masked for the cards.
        token = get_token(self.request)
        cards = post_cards(
            self.request,
            self.thread,
            page,
            drawn,
            can_moderate=context["can_moderate"],
            csrf_token=token,
        )
        refusal = selectors.post_refusal(self.request.user, self.group, self.thread)
        reply_url = reverse("space:reply", args=[self.group.slug, self.thread.pk])
        # Above and below the posts: drawn once.
        pages = Context({"page_obj": page_obj, "page_query": self.request.GET})
        return {
            **context,
            "thread": self.thread,
            "posts": page,
            "post_cards": cards,
            "csrf_token": token,
            "post_refusal": refusal,
            "slow_mode_choices": SLOW_MODE_CHOICES,
            "reply_url": reply_url,
            "pages": get_template(PAGES).template.render(pages),
            "reply_fields": None if refusal else drawn["reply"],
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
