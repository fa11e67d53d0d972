"""The one base for POST-only actions and the group loaders: what every action view relies on."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from groups.loaders import group_or_404, in_group_or_404
from groups.models import Invitation
from peersupport.actions import ActionView
from peersupport.errors import DomainError
from tests.factories import PeerGroupFactory, UserFactory


class _Choice(forms.Form):
    answer = forms.ChoiceField(choices=[("yes", "yes"), ("fail", "fail")])


class _Answer(ActionView):
    permission = "public"
    form_class = _Choice
    invalid_message = "Choose yes."

    def act(self, form):
        if form.cleaned_data["answer"] == "fail":
            raise DomainError("Refused.")
        return "Done."

    def get_success_url(self):
        return "/done/"

    def get_failure_url(self):
        return "/again/"


class _Quiet(_Answer):
    invalid_message = ""

    def invalid(self, form):
        return ""


def _post(view, data):
    request = RequestFactory().post("/act/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.user = type("Visitor", (), {"is_authenticated": False})()
    response = view.as_view()(request)
    return response, [str(m) for m in get_messages(request)]


@pytest.mark.parametrize(
    ("view", "data", "url", "said"),
    [
        (_Answer, {"answer": "yes"}, "/done/", ["Done."]),
        (_Answer, {"answer": "fail"}, "/again/", ["Refused."]),
        (_Answer, {"answer": "maybe"}, "/again/", ["Choose yes."]),
        (_Quiet, {"answer": "maybe"}, "/again/", []),
    ],
)
def test_an_action_says_what_happened_and_goes_where_it_should(view, data, url, said):
    response, messages = _post(view, data)
    assert (response.status_code, response["Location"], messages) == (302, url, said)


def test_an_action_answers_only_post():
    request = RequestFactory().get("/act/")
    request.user = type("Visitor", (), {"is_authenticated": False})()
    assert _Answer.as_view()(request).status_code == 405


def test_loaders_find_rows_only_inside_their_group(db):
    group, other = PeerGroupFactory(), PeerGroupFactory()
    invitation = Invitation.objects.create(
        group=other, created_by=UserFactory(), expires_at=timezone.now()
    )
    assert group_or_404(group.slug) == group
    assert in_group_or_404(Invitation, other, invitation.pk) == invitation
    with pytest.raises(Http404):
        in_group_or_404(Invitation, group, invitation.pk)
    with pytest.raises(Http404):
        group_or_404("no-such-group")
