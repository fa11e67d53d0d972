from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from peersupport import views

# The admin signs in through allauth, so staff get the same MFA and rate limits.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "peersupport administration"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("crisis/", views.CrisisResourcesView.as_view(), name="crisis"),
    path("", include("members.urls_language")),
    path("healthz", views.healthz, name="healthz"),
    # Before allauth's own: the same address, continuing to where the person was going.
    path(
        "accounts/2fa/totp/activate/",
        views.MfaActivateView.as_view(),
        name="mfa_activate_totp",
    ),
    path("accounts/", include("allauth.urls")),
    path("me/", include("members.urls")),
    # Prefixed tables before the unprefixed ones (none of whose addresses starts with
    # these prefixes): a meeting's address is found without trying every group's first.
    path("meetings/", include("sessions.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("groups.urls")),
    path("", include("finders.urls")),
    path("", include("space.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH:
    urlpatterns.append(path("bench/bare/", views.bare, name="bench_bare"))

handler400 = "peersupport.views.error_400"
handler403 = "peersupport.views.error_403"
handler404 = "peersupport.views.error_404"
handler500 = "peersupport.views.error_500"
