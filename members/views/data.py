"""Data rights pages: download everything about me, delete my account.

Both the downloads and the deletion ask for the password again (allauth
re-authentication) so a borrowed, still-signed-in device cannot take someone's data.
The downloads are streamed: a long history never has to fit in memory.
"""

from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from members.forms.account import DeleteAccountForm
from members.services.data import (
    MemberDataError,
    member_account_delete,
    member_account_delete_check,
    member_data_readable_sections,
    member_data_sections,
    member_profile_export,
)
from peersupport.audit import audit_record
from peersupport.permissions import permission_required

ROWS_MARK = "<!--rows-->"


@permission_required("signed_in")
def data_home(request):
    return render(request, "members/data/home.html")


def _audit_export(request, kind: str) -> None:
    audit_record(
        actor=request.user,
        action="data_export",
        organisation=None,
        target_repr=_("own data"),
        details={"format": kind},
    )


def _json_download(request, *, kind: str, sections, filename: str, ascii_only: bool):
    """Stream the person's profile and `sections` (title, rows) as one JSON file."""
    user = request.user
    _audit_export(request, kind)

    def chunks():
        yield '{"profile": ' + json.dumps(member_profile_export(user=user)) + ', "records": {'
        for index, (title, rows) in enumerate(sections(user=user)):
            yield ("," if index else "") + json.dumps(title) + ": ["
            for n, row in enumerate(rows):
                yield ("," if n else "") + json.dumps(row, default=str, ensure_ascii=ascii_only)
            yield "]"
        yield "}}"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("signed_in")
@reauthentication_required
def export_json(request):
    """Everything the app holds about the person, as the machine reads it."""
    return _json_download(
        request,
        kind="json",
        sections=member_data_sections,
        filename="my-peersupport-data.json",
        ascii_only=True,
    )


@permission_required("signed_in")
@reauthentication_required
def export_readable_json(request):
    """The same records as the web page, as JSON: plain names and labels, no ids."""
    return _json_download(
        request,
        kind="json-readable",
        sections=member_data_readable_sections,
        filename="my-peersupport-data-readable.json",
        ascii_only=False,
    )


def _cell(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return "" if value is None else str(value)


def _html_section(title: str, rows) -> str:
    rows = list(rows)
    head = format_html_join("", "<th scope='col'>{}</th>", ((name,) for name in rows[0]))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (format_html_join("", "<td>{}</td>", ((_cell(v),) for v in row.values())),)
            for row in rows
        ),
    )
    return format_html(
        # A wide table scrolls inside its region; tabindex lets keyboard users scroll it.
        "<section class='mb-4'><h2 class='h5'>{}</h2>"
        "<div class='table-responsive' tabindex='0' role='region' aria-label='{}'>"
        "<table class='table table-sm'><thead><tr>{}</tr></thead><tbody>{}</tbody></table>"
        "</div></section>",
        title,
        title,
        head,
        body,
    )


@permission_required("signed_in")
@reauthentication_required
def export_html(request):
    user = request.user
    _audit_export(request, "html")
    page = render_to_string(
        "members/data/export.html",
        {"profile": member_profile_export(user=user), "rows_mark": ROWS_MARK},
        request=request,
    )
    head, tail = page.split(ROWS_MARK, 1)

    def chunks():
        yield head
        for title, rows in member_data_readable_sections(user=user):
            yield _html_section(title, rows)
        yield tail

    return StreamingHttpResponse(chunks(), content_type="text/html; charset=utf-8")


@permission_required("signed_in")
@reauthentication_required
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    problem = ""
    try:
        member_account_delete_check(user=request.user)
    except MemberDataError as error:
        problem = str(error)
    if request.method == "POST" and form.is_valid() and not problem:
        try:
            member_account_delete(user=request.user)
        except MemberDataError as error:
            problem = str(error)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data are deleted."))
            return redirect("home")
    return render(request, "members/data/delete.html", {"form": form, "problem": problem})
