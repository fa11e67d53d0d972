from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.generic import TemplateView

from peersupport.health import check_broker, check_cache, check_database
from peersupport.permissions import PermissionMixin, permission_required


class HomeView(PermissionMixin, TemplateView):
    permission = "public"
    template_name = "peersupport/home.html"


class CrisisResourcesView(PermissionMixin, TemplateView):
    """Help right now. Organisations add their own helplines in the groups issue."""

    permission = "public"
    template_name = "peersupport/crisis.html"


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


def error_400(request, exception=None):
    return render(request, "400.html", status=400)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
