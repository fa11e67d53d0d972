"""The purpose and goals review: its schedule, sending it now, answering it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import FormView

from feedback import selectors, services
from feedback.forms.reviews import ReviewAnswerForm, ReviewScheduleForm
from feedback.models import GoalReview
from groups.loaders import get_or_404
from groups.views.base import GroupPermissionMixin
from peersupport.actions import ActionView, ServiceFormMixin
from peersupport.permissions import PermissionMixin


# --- Purpose and goals review -----------------------------------------------------------------
class ReviewScheduleView(GroupPermissionMixin, ServiceFormMixin, FormView):
    permission = "feedback.review_manage"
    template_name = "feedback/review_schedule.html"
    form_class = ReviewScheduleForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": services.review_schedule_get(group=self.group),
        }

    def get_context_data(self, **kwargs):
        reviews = GoalReview.objects.filter(group=self.group).order_by("-opened_on")[:4]
        results = [(r, selectors.review_results(r)) for r in reviews]
        return super().get_context_data(group=self.group, results=results, **kwargs)

    def act(self, form):
        data = form.cleaned_data
        services.review_schedule_set(
            group=self.group,
            every_months=data["every_months"],
            next_on=data["next_on"],
            active=data["active"],
        )
        return _("The review schedule was saved.")


class ReviewSendNowView(GroupPermissionMixin, ActionView):
    """POST only: open a review round today instead of waiting for the schedule."""

    permission = "feedback.review_manage"

    def act(self, form):
        review = services.review_send_now(group=self.group, by=self.request.user)
        return _(
            "The review is sent: the group's active members have an email with the "
            "questionnaire, open until %(day)s."
        ) % {"day": date_format(review.closes_on, "DATE_FORMAT")}

    def get_success_url(self) -> str:
        return reverse("feedback:review_schedule", args=[self.group.slug])


class ReviewAnswerView(PermissionMixin, ServiceFormMixin, FormView):
    permission = "feedback.review_answer"
    template_name = "feedback/review_answer.html"

    def get_permission_object(self):
        self.review = get_or_404(GoalReview.objects.select_related("group"), pk=self.kwargs["pk"])
        return self.review.group

    def get_form(self, form_class=None):
        return ReviewAnswerForm(**self.get_form_kwargs(), objectives=self.review.objectives)

    def get_context_data(self, **kwargs):
        reason = services.review_closed_reason(review=self.review, member=self.request.user)
        if reason:
            kwargs["form"] = None
        return super().get_context_data(review=self.review, closed_reason=reason, **kwargs)

    def act(self, form):
        data = form.cleaned_data
        services.review_submit(
            review=self.review,
            member=self.request.user,
            verdicts=form.verdicts(),
            discussions=data["discussions"],
            activities=data["activities"],
            what_to_change=data["what_to_change"],
        )
        return _(
            "Thank you. Your answers were saved anonymously; the results include them "
            "once the review closes."
        )
