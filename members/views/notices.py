"""The member's notifications list (the bell): newest first, opening one marks it read."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from members.loaders import notice_or_404
from members.notifications import (
    notice_mark_read,
    notice_text,
    notices_mark_all_read,
    notices_of,
)
from peersupport.actions import ActionView
from peersupport.middleware import mark_private
from peersupport.permissions import PermissionMixin

PAGE_SIZE = 20


class NoticeListView(PermissionMixin, ListView):
    permission = "signed_in"
    template_name = "members/notices/notice_list.html"
    context_object_name = "notices"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return notices_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for notice in context["notices"]:
            notice.text = notice_text(notice)  # in this page's language
        context["any_unread"] = any(not n.is_read for n in context["notices"])
        return context

    def render_to_response(self, context, **kwargs):
        return mark_private(super().render_to_response(context, **kwargs))


class NoticeOpenView(PermissionMixin, View):
    """A link in the list: marks the notice read and goes to what it is about."""

    permission = "signed_in"
    http_method_names = ["get"]

    def get(self, request, pk: int):
        notice = notice_or_404(pk, user=request.user)
        notice_mark_read(notice=notice)
        target = notice.link
        safe = target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return mark_private(HttpResponseRedirect(target if safe else reverse("members:notices")))


class NoticesReadAllView(ActionView):
    permission = "signed_in"

    def act(self, form) -> str:
        notices_mark_all_read(user=self.request.user)
        return _("All your notifications are marked as read.")

    def get_success_url(self) -> str:
        return reverse("members:notices")
