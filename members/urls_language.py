"""The language switcher's address, at the site's top level (every page's footer posts to it)."""

from django.urls import path

from members.views.language import LanguageChooseView

urlpatterns = [path("language/", LanguageChooseView.as_view(), name="language")]
