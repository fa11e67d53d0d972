"""Find a member's own rows for a view, or answer 404.

Rows that belong to a person are looked up among that person's rows, never by id alone:
a guessed id of somebody else's row is answered exactly like an id that does not exist.
"""

from __future__ import annotations

from django.http import Http404

from members.models import Notice


def notice_or_404(pk: int, *, user) -> Notice:
    """One of `user`'s own notices."""
    notice = Notice.objects.filter(pk=pk, recipient_id=user.pk).first()
    if notice is None:
        raise Http404
    return notice
