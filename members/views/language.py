"""The language switcher in every page's footer."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from members.services.language import language_choose
from peersupport.actions import ActionView


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False, max_length=2048)


# Without a token: the footer is on public pages kept in a cache shared by every visitor,
# which must not carry anybody's token. A forged cross-site POST carries no session
# cookie (SameSite=Lax), so at worst it sets a visitor's language cookie.
@method_decorator(csrf_exempt, name="dispatch")
class LanguageChooseView(ActionView):
    """Speak another language from now on: kept on the account when signed in, and in a
    cookie for everyone (a visitor, and the sign-in page after signing out)."""

    permission = "public"
    form_class = LanguageForm
    invalid_message = gettext_lazy("Please choose one of the languages offered.")

    def act(self, form) -> str:
        self.chosen = form.cleaned_data["language"]
        if self.request.user.is_authenticated:
            language_choose(user=self.request.user, code=self.chosen)
        translation.activate(self.chosen)  # the confirmation in the language chosen
        return _("This site now speaks %(language)s.") % {
            "language": dict(settings.LANGUAGES)[self.chosen]
        }

    def get_success_url(self) -> str:
        wanted = self.request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return wanted if safe and wanted.startswith("/") else "/"

    def post(self, request, *args, **kwargs):
        self.chosen = ""
        response = super().post(request, *args, **kwargs)
        if self.chosen and isinstance(response, HttpResponseRedirect):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                self.chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
            )
        return response
