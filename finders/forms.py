"""Forms of meeting finders: an organizer adds another organisation's feed."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from finders import fetch
from finders.models import FeedSource


class FeedSourceForm(forms.ModelForm):
    url = forms.CharField(
        label=_("Feed address"),
        max_length=500,
        help_text=_(
            "The address of their Meeting Guide JSON feed, for example "
            "https://example.org/wp-admin/admin-ajax.php?action=meetings"
        ),
        widget=forms.URLInput,
    )

    class Meta:
        model = FeedSource
        fields = ["name", "url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("add", _("Read this feed")))

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        try:
            fetch.url_check(url)
        except fetch.FetchError as error:
            raise forms.ValidationError(error.message) from None
        return url
