"""The public directory of groups and each group's landing page."""

from __future__ import annotations

from dataclasses import asdict

from django.conf import settings
from django.core.paginator import Paginator
from django.views.generic import DetailView, TemplateView

from groups import hooks, selectors
from groups.cache import CachedForVisitorsMixin
from groups.forms.directory import DirectoryFilterForm
from groups.loaders import get_or_404
from groups.models import PeerGroup
from peersupport.permissions import PermissionMixin, has_perm, require

# The group's fields only entitled members may see (see groups.rules).
PRIVATE_FIELDS = ("place", "online_link")


class VisitorPermissionMixin(PermissionMixin):
    """For pages visitors may see when the rule allows it (a listed group, say).

    No sign-in redirect: a refusal is a 404 for everyone, so a private group's address
    looks exactly like one that does not exist.
    """

    def dispatch(self, request, *args, **kwargs):
        self.permission_object = self.get_permission_object()
        require(request.user, self.permission, self.permission_object)
        return super(PermissionMixin, self).dispatch(request, *args, **kwargs)


class DirectoryView(PermissionMixin, CachedForVisitorsMixin, TemplateView):
    permission = "public"
    template_name = "groups/group_list.html"
    public_cache_name = "directory"

    def public_cache_scopes(self, obj):
        return ("directory",)

    def public_cache_variant(self):
        page = self.request.GET.get("page", "1")
        if not (page.isdigit() and len(page) <= 4):
            return None  # odd page numbers are rendered, not cached
        filters = selectors.directory_filters_from(self.request.GET)
        return f"{sorted(asdict(filters).items())}|{int(page)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = selectors.directory_filters_from(self.request.GET)
        choices = selectors.directory_choices()
        groups = selectors.group_directory_search(filters=filters)
        page = Paginator(groups, selectors.DIRECTORY_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        cards = [(group, selectors.group_next_meeting(group)) for group in page.object_list]
        values = asdict(filters)
        values["day"] = "" if filters.day is None else str(filters.day)
        values["access"] = list(filters.access)
        context.update(
            form=DirectoryFilterForm(initial=values, **choices),
            filters=filters,
            page_obj=page,
            cards=cards,
            result_count=page.paginator.count,
            sections=hooks.directory_sections(filters),
        )
        return context


class GroupDetailView(VisitorPermissionMixin, CachedForVisitorsMixin, DetailView):
    """The landing page people share: never the place or the online link."""

    permission = "groups.view"
    template_name = "groups/group_detail.html"
    context_object_name = "group"
    public_cache_name = "group"

    def public_cache_scopes(self, group):
        # The group's row and its organisation's ("all") are covered too, as the cache
        # mixin requires of a kept permission object.
        return (f"group:{group.pk}",)

    def public_object_key(self):
        return self.kwargs["slug"]

    def public_object_load(self):
        groups = PeerGroup.objects.select_related("organisation")
        if self.public_visit() is not None:
            # The copy kept for visitors lives in the shared cache: leave out what only
            # entitled members may see (nothing on a visitor's page reads it).
            groups = groups.defer(*PRIVATE_FIELDS)
        return get_or_404(groups, slug=self.kwargs["slug"])

    def get_object(self, queryset=None):
        return self.public_object()

    def get_permission_object(self):
        return self.get_object()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group, user = self.object, self.request.user
        context.update(
            next_meeting=selectors.group_next_meeting(group),
            join=selectors.group_join_state(user, group),
            can_manage=has_perm(user, "groups.manage", group),
            can_enter=has_perm(user, "groups.member_area", group),
            share_url=f"{settings.SITE_URL}{group.get_absolute_url()}",
            noindex=group.visibility != PeerGroup.Visibility.LISTED,
        )
        return context
