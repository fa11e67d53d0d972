"""The check-in survey, the in-meeting check-out and the organisation's questions."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from feedback import selectors, services
from feedback.forms.checkin import CheckinForm, QuestionSetForm
from groups.views.base import OrganisationPermissionMixin
from peersupport.actions import ActionMixin, RefusePostMixin, ServiceFormMixin
from peersupport.qr import qr_svg
from sessions.views import MeetingPermissionMixin


# --- Check-in survey ----------------------------------------------------------------------
class CheckinView(MeetingPermissionMixin, RefusePostMixin, ServiceFormMixin, FormView):
    """The survey, from the email link, the meeting page or the check-out QR code."""

    permission = "feedback.checkin"
    template_name = "feedback/checkin_form.html"

    def get_form(self, form_class=None):
        org_id = self.meeting.group.organisation_id
        self.question_set = services.question_set_current(organisation=org_id)
        return CheckinForm(**self.get_form_kwargs(), question_set=self.question_set)

    def get_context_data(self, **kwargs):
        reason = services.checkin_closed_reason(meeting=self.meeting, member=self.request.user)
        if reason:
            kwargs["form"] = None
        return super().get_context_data(meeting=self.meeting, closed_reason=reason, **kwargs)

    def post_refusal(self) -> str:
        return services.checkin_closed_reason(meeting=self.meeting, member=self.request.user)

    def act(self, form):
        data = form.cleaned_data
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
        return _(
            "Thank you. Your answers were saved anonymously; they are added to the "
            "results with everyone else's when the survey closes."
        )


class CheckoutView(MeetingPermissionMixin, ActionMixin, View):
    """Facilitators open the survey in the room (POST); the page shows the QR code to it."""

    permission = "feedback.checkout"

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

    def act(self, form):
        services.checkout_open(meeting=self.meeting, by=self.request.user)
        return selectors.checkout_open_message(self.meeting)

    def get_success_url(self) -> str:
        return self.request.path


class QuestionSetView(OrganisationPermissionMixin, ServiceFormMixin, FormView):
    """Organizers adjust their organisation's check-in questions (a new version each time)."""

    permission = "organisations.manage"
    error_field = "questions"
    template_name = "feedback/question_set_form.html"
    form_class = QuestionSetForm

    def get_initial(self):
        current = services.question_set_current(organisation=self.organisation)
        return {"questions": "\n".join(q["text"] for q in current.questions)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            current=services.question_set_current(organisation=self.organisation),
            **kwargs,
        )

    def act(self, form):
        saved = services.question_set_update(
            organisation=self.organisation, texts=form.cleaned_data["questions"].splitlines()
        )
        return _("Saved as version %(v)d.") % {"v": saved.version}
