"""Check-in survey, in-meeting check-out, suggestion box and purpose review screens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from feedback import selectors, services
from feedback.forms import (
    CheckinForm,
    QuestionSetForm,
    ReviewAnswerForm,
    ReviewScheduleForm,
    SuggestionForm,
    SuggestionReplyForm,
)
from feedback.models import GoalReview, Suggestion
from groups.models import Organisation
from peersupport.errors import DomainError
from peersupport.permissions import PermissionMixin, has_perm
from peersupport.qr import qr_svg


# --- Check-in survey ----------------------------------------------------------------------
class CheckinView(PermissionMixin, FormView):
    """The survey, from the email link, the meeting page or the check-out QR code."""

    permission = "feedback.checkin"
    template_name = "feedback/checkin_form.html"

    def get_permission_object(self):
        self.meeting = selectors.meeting_for_feedback(self.kwargs["pk"])
        return self.meeting

    def get_form(self, form_class=None):
        org_id = self.meeting.group.organisation_id
        self.question_set = services.question_set_current(organisation=org_id)
        return CheckinForm(**self.get_form_kwargs(), question_set=self.question_set)

    def get_context_data(self, **kwargs):
        reason = services.checkin_closed_reason(meeting=self.meeting, member=self.request.user)
        if reason:
            kwargs["form"] = None
        return super().get_context_data(meeting=self.meeting, closed_reason=reason, **kwargs)

    def post(self, request, *args, **kwargs):
        reason = services.checkin_closed_reason(meeting=self.meeting, member=request.user)
        if reason:
            messages.error(request, reason)
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.checkin_submit(
                meeting=self.meeting,
                member=self.request.user,
                version=data["version"],
                ratings=form.ratings(),
                mood_before=data["mood_before"],
                mood_after=data["mood_after"],
                comment=data["comment"],
                sign_comment=data["sign_comment"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Thank you. Your answers were saved anonymously; they are added to the "
                "results with everyone else's when the survey closes."
            ),
        )
        return HttpResponseRedirect(self.request.path)


class CheckoutView(PermissionMixin, View):
    """Facilitators open the survey in the room; the page shows the QR code to it."""

    permission = "feedback.checkout"

    def get_permission_object(self):
        self.meeting = selectors.meeting_for_feedback(self.kwargs["pk"])
        return self.meeting

    def get(self, request, *args, **kwargs):
        is_open = selectors.checkout_is_open(self.meeting)
        url = settings.SITE_URL + reverse("feedback:checkin", args=[self.meeting.pk])
        context = {
            "meeting": self.meeting,
            "is_open": is_open,
            "open_message": selectors.checkout_open_message(self.meeting) if is_open else "",
            "survey_url": url,
            "qr": qr_svg(url, css_class="feedback-qr") if is_open else "",
        }
        return render(request, "feedback/checkout.html", context)

    def post(self, request, *args, **kwargs):
        try:
            services.checkout_open(meeting=self.meeting, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, selectors.checkout_open_message(self.meeting))
        return HttpResponseRedirect(request.path)


class QuestionSetView(PermissionMixin, FormView):
    """Organizers adjust their organisation's check-in questions (a new version each time)."""

    permission = "organisations.manage"
    template_name = "feedback/question_set_form.html"
    form_class = QuestionSetForm

    def get_permission_object(self):
        self.organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        return self.organisation

    def get_initial(self):
        current = services.question_set_current(organisation=self.organisation)
        return {"questions": "\n".join(q["text"] for q in current.questions)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            current=services.question_set_current(organisation=self.organisation),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            saved = services.question_set_update(
                organisation=self.organisation, texts=form.cleaned_data["questions"].splitlines()
            )
        except DomainError as error:
            form.add_error("questions", error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved as version %(v)d.") % {"v": saved.version})
        return HttpResponseRedirect(self.request.path)


# --- Suggestion box -------------------------------------------------------------------------
class SuggestionListView(PermissionMixin, FormView):
    permission = "feedback.suggestions"
    template_name = "feedback/suggestion_list.html"
    form_class = SuggestionForm

    def get_permission_object(self):
        self.group = selectors.group_for_feedback(self.kwargs["slug"])
        return self.group

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            group=self.group,
            suggestions=selectors.suggestions_for(group=self.group, viewer=user),
            can_suggest=has_perm(user, "feedback.suggest", self.group),
            can_manage=has_perm(user, "feedback.suggestions_manage", self.group),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not has_perm(request.user, "feedback.suggest", self.group):
            messages.error(request, _("Only members of the group can add suggestions."))
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

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
    view.suggestion = get_object_or_404(
        Suggestion.objects.select_related("group"), pk=view.kwargs["pk"]
    )
    return view.suggestion.group


def _back_to_box(suggestion: Suggestion) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("feedback:suggestions", args=[suggestion.group.slug]))


class SuggestionSupportView(PermissionMixin, View):
    permission = "feedback.suggest"

    def get_permission_object(self):
        return _suggestion_group(self)

    def post(self, request, *args, **kwargs):
        counted = services.suggestion_support(suggestion=self.suggestion, member=request.user)
        if counted:
            messages.success(request, _("You support this idea."))
        else:
            messages.info(request, _("You already support this idea."))
        return _back_to_box(self.suggestion)


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


# --- Purpose and goals review -----------------------------------------------------------------
class ReviewScheduleView(PermissionMixin, FormView):
    permission = "feedback.review_manage"
    template_name = "feedback/review_schedule.html"
    form_class = ReviewScheduleForm

    def get_permission_object(self):
        self.group = selectors.group_for_feedback(self.kwargs["slug"])
        return self.group

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": services.review_schedule_get(group=self.group),
        }

    def get_context_data(self, **kwargs):
        reviews = GoalReview.objects.filter(group=self.group).order_by("-opened_on")[:4]
        results = [(r, selectors.review_results(r)) for r in reviews]
        return super().get_context_data(group=self.group, results=results, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.review_schedule_set(
                group=self.group,
                every_months=data["every_months"],
                next_on=data["next_on"],
                active=data["active"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The review schedule was saved."))
        return HttpResponseRedirect(self.request.path)


class ReviewSendNowView(PermissionMixin, View):
    """POST only: open a review round today instead of waiting for the schedule."""

    permission = "feedback.review_manage"
    http_method_names = ["post"]

    def get_permission_object(self):
        self.group = selectors.group_for_feedback(self.kwargs["slug"])
        return self.group

    def post(self, request, *args, **kwargs):
        try:
            review = services.review_send_now(group=self.group, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "The review is sent: the group's active members have an email with the "
                    "questionnaire, open until %(day)s."
                )
                % {"day": date_format(review.closes_on, "DATE_FORMAT")},
            )
        return HttpResponseRedirect(reverse("feedback:review_schedule", args=[self.group.slug]))


class ReviewAnswerView(PermissionMixin, FormView):
    permission = "feedback.review_answer"
    template_name = "feedback/review_answer.html"

    def get_permission_object(self):
        self.review = get_object_or_404(
            GoalReview.objects.select_related("group"), pk=self.kwargs["pk"]
        )
        return self.review.group

    def get_form(self, form_class=None):
        return ReviewAnswerForm(**self.get_form_kwargs(), objectives=self.review.objectives)

    def get_context_data(self, **kwargs):
        reason = services.review_closed_reason(review=self.review, member=self.request.user)
        if reason:
            kwargs["form"] = None
        return super().get_context_data(review=self.review, closed_reason=reason, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.review_submit(
                review=self.review,
                member=self.request.user,
                verdicts=form.verdicts(),
                discussions=data["discussions"],
                activities=data["activities"],
                what_to_change=data["what_to_change"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Thank you. Your answers were saved anonymously; the results include them "
                "once the review closes."
            ),
        )
        return HttpResponseRedirect(self.request.path)
