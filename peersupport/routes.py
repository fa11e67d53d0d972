"""URL tables written one line a URL, grouped under a shared prefix."""

from django.urls import path


def routes(table: list[tuple], prefix: str = "") -> list:
    """One `path(prefix + route, view.as_view(), name=name)` for each `(route, view, name)`."""
    return [path(prefix + route, view.as_view(), name=name) for route, view, name in table]
