"""Links into feedback from other apps' pages, decided by the permission layer."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from feedback import services
from peersupport.permissions import has_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_meeting_links(context, meeting):
    """On the meeting page: the survey for attendees while open; the check-out for who runs it.

    Most readers get neither (before the meeting, members), and then nothing is drawn."""
    user = context["request"].user
    # No survey opens before the meeting starts (not even with the check-out opened), so
    # an upcoming meeting's page skips the full check and its four queries.
    can_answer = (
        timezone.now() >= meeting.starts_at
        and has_perm(user, "feedback.checkin", meeting)
        and not services.checkin_closed_reason(meeting=meeting, member=user)
    )
    can_checkout = has_perm(user, "feedback.checkout", meeting) and meeting.status != "cancelled"
    if not (can_answer or can_checkout):
        return ""
    return render_to_string(
        "feedback/fragments/meeting_links.html",
        {"meeting": meeting, "can_answer": can_answer, "can_checkout": can_checkout},
    )


@register.inclusion_tag("feedback/fragments/group_links.html", takes_context=True)
def feedback_group_links(context, group):
    user = context["request"].user
    return {
        "group": group,
        "can_read": has_perm(user, "feedback.suggestions", group),
        "can_schedule": has_perm(user, "feedback.review_manage", group),
        "can_dashboard": has_perm(user, "feedback.dashboard_group", group),
        "can_edit_questions": has_perm(user, "organisations.manage", group.organisation),
    }
