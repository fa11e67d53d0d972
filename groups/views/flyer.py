"""A printable flyer of a group's landing page, with a QR code, for notice boards and partners."""

from __future__ import annotations

from django.conf import settings
from django.views.generic import DetailView

from groups import selectors
from groups.loaders import group_or_404
from groups.views.directory import VisitorPermissionMixin
from peersupport.qr import qr_svg


class GroupFlyerView(VisitorPermissionMixin, DetailView):
    """Whoever may see the landing page may print it: the flyer shows nothing more.

    Like the landing page, it never carries the place or the online link: a flyer on a
    notice board is read by anyone.
    """

    permission = "groups.view"
    template_name = "groups/group_flyer.html"
    context_object_name = "group"

    def get_permission_object(self):
        return self.get_object()

    def get_object(self, queryset=None):
        if not hasattr(self, "_group"):
            self._group = group_or_404(self.kwargs["slug"])
        return self._group

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        share_url = f"{settings.SITE_URL}{self.object.get_absolute_url()}"
        context.update(
            share_url=share_url,
            qr=qr_svg(share_url, css_class="flyer-qr"),
            next_meeting=selectors.group_next_meeting(self.object),
            noindex=True,  # the landing page is what search engines should find
        )
        return context
