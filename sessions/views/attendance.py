"""Attendance: the facilitator's sheet, and a member's own signed attendance record."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from peersupport.errors import DomainError
from peersupport.middleware import mark_private
from peersupport.permissions import PermissionMixin
from sessions import selectors
from sessions.forms.rsvp import AttendanceForm, StatementForm
from sessions.selectors import rsvp as selectors_rsvp
from sessions.services import attendance as services


class AttendanceView(PermissionMixin, FormView):
    permission = "meetings.attendance"
    template_name = "meetings/attendance/attendance_sheet.html"

    def get_permission_object(self):
        self.meeting = selectors.meeting_for_page(self.kwargs["pk"])
        if self.meeting is None:
            raise Http404
        return self.meeting

    def get_form(self, form_class=None):
        self.sheet = selectors_rsvp.attendance_sheet(self.meeting)
        return AttendanceForm(**self.get_form_kwargs(), sheet=self.sheet)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())  # builds self.sheet
        return super().get_context_data(meeting=self.meeting, sheet=self.sheet, **kwargs)

    def form_valid(self, form):
        saved = 0
        for person, mark in form.changes():
            try:
                if mark:
                    services.attendance_mark(
                        meeting=self.meeting, member=person, status=mark, by=self.request.user
                    )
                else:
                    services.attendance_unmark(meeting=self.meeting, member=person)
            except DomainError as error:
                form.add_error(None, error.message)
                return self.form_invalid(form)
            saved += 1
        messages.success(self.request, _("Attendance saved (%(n)d changed).") % {"n": saved})
        return HttpResponseRedirect(reverse("meetings:attendance", args=[self.meeting.pk]))


class StatementCreateView(PermissionMixin, FormView):
    """A member's own record of meetings attended in a period, to show an employer or court."""

    permission = "signed_in"
    template_name = "meetings/attendance/statement_create.html"

    def get_form(self, form_class=None):
        organisations = selectors_rsvp.statement_organisations(self.request.user)
        return StatementForm(**self.get_form_kwargs(), organisations=organisations)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            has_attendance=selectors_rsvp.statement_organisations(self.request.user).exists(),
            statements=services.attendance_statements_of(self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            statement = services.attendance_statement_issue(
                user=self.request.user,
                organisation=data["organisation"],
                start=data["start"],
                end=data["end"],
                include_group=data["include_group"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Your attendance record is ready."))
        token = services.attendance_statement_token(statement)
        return HttpResponseRedirect(reverse("meetings:statement", args=[token]))


class StatementView(PermissionMixin, TemplateView):
    """The record and its public verification: the same facts for anyone with the link."""

    permission = "public"
    template_name = "meetings/attendance/statement.html"

    def dispatch(self, request, *args, **kwargs):
        return mark_private(super().dispatch(request, *args, **kwargs))

    def get(self, request, *args, **kwargs):
        statement = services.attendance_statement_load(kwargs["token"])
        if statement is None:
            # Forged or mistyped: say so plainly (a 404, revealing nothing).
            return self.render_to_response({"statement": None, "facts": {}}, status=404)
        url = request.build_absolute_uri(reverse("meetings:statement", args=[kwargs["token"]]))
        return self.render_to_response(
            self.get_context_data(
                statement=statement,
                facts=statement.facts,
                verify_url=url,
                is_owner=request.user.is_authenticated and statement.user_id == request.user.pk,
            )
        )


class StatementRevokeView(PermissionMixin, View):
    """POST only: the owner withdraws a statement; anyone else gets 404 (nothing revealed)."""

    permission = "signed_in"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.attendance_statement_revoke(user=request.user, token=kwargs["token"])
        except DomainError:
            raise Http404 from None
        messages.success(request, _("The record is withdrawn: its link no longer verifies."))
        return HttpResponseRedirect(reverse("meetings:statement_create"))
