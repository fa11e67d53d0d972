"""What every app's Django admin shares."""

from django.contrib import admin


def tabular_inline(model, **options) -> type[admin.TabularInline]:
    """The rows of `model` shown as a table on their parent's admin page, with no blank rows
    offered for adding."""
    attrs = {"model": model, "extra": 0, "__module__": __name__, **options}
    return type(f"{model.__name__}Inline", (admin.TabularInline,), attrs)
