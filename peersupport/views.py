from collections.abc import Callable
from typing import Any

from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from peersupport.health import check_broker, check_cache, check_database
from peersupport.home import home_parts
from peersupport.permissions import PermissionMixin, permission_required


class HomeView(PermissionMixin, TemplateView):
    """Visitors: what this is and where to start. Signed in: the person's next steps,
    made of the parts each app registers (`peersupport.home`)."""

    permission = "public"
    template_name = "peersupport/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if user.is_authenticated:
            kwargs["home_parts"] = home_parts(user)
        return super().get_context_data(**kwargs)


# Which organisation's helplines a request is about: organisations belong to the groups
# app, which registers the finder from its ready() (request -> organisation or None).
_crisis_organisation: list[Callable[[HttpRequest], Any]] = []


def crisis_organisation_register(find: Callable[[HttpRequest], Any]) -> None:
    _crisis_organisation[:] = [find]


class CrisisResourcesView(PermissionMixin, TemplateView):
    """Help right now: the organisation's own helplines when we know the organisation
    (`?org=<slug>`, or the visitor came from one of its group pages), else the defaults."""

    permission = "public"
    template_name = "peersupport/crisis.html"

    def get_context_data(self, **kwargs):
        find = _crisis_organisation[0] if _crisis_organisation else None
        organisation = find(self.request) if find else None
        resources = organisation.crisis_resources.strip() if organisation else ""
        return super().get_context_data(
            organisation=organisation if resources else None, resources=resources, **kwargs
        )


@permission_required("public")
def healthz(request):
    """For load balancers and monitoring: 200 when database, cache and broker answer."""
    checks = [check_database(), check_cache(), check_broker()]
    body = {check.name: "ok" if check.ok else "failing" for check in checks}
    status = 200 if all(check.ok for check in checks) else 503
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@permission_required("public")
def bare(request):
    """Benchmarks only (BENCH=1): the cheapest Django page, the physical limit."""
    return HttpResponse("<!doctype html><title>bare</title><p>ok</p>")


def _error_page(request, status: int):
    response = render(request, f"{status}.html", status=status)
    response.own_error_page = True  # OwnErrorPagesMiddleware leaves it alone
    return response


def error_400(request, exception=None):
    return _error_page(request, 400)


def error_403(request, exception=None):
    return _error_page(request, 403)


def error_404(request, exception=None):
    return _error_page(request, 404)


def error_500(request):
    return _error_page(request, 500)


class MfaActivateView(PermissionMixin, ActivateTOTPView):
    """allauth's authenticator set-up, continuing to where the person was going.

    allauth lands on the recovery codes; they stay one click away (offered in the message
    and under the account's two-step sign-in page), but the new facilitator goes on to the
    page they had asked for.
    """

    permission = "signed_in"

    def get_success_url(self) -> str:
        # The middleware imports this module's error views: imported on use.
        from peersupport.middleware import MFA_NEXT_SESSION_KEY

        wanted = self.request.session.pop(MFA_NEXT_SESSION_KEY, "") or self.request.GET.get(
            "next", ""
        )
        safe = url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=False
        )
        if not wanted or not safe:
            return super().get_success_url()
        if getattr(self, "did_generate_recovery_codes", False):
            messages.info(
                self.request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "Two-step sign-in is on. Keep your recovery codes somewhere safe: they "
                        "let you in if you lose your phone."
                    ),
                    reverse("mfa_view_recovery_codes"),
                    _("See my recovery codes"),
                ),
            )
        return wanted
