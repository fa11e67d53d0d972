"""The group space: its readers are the group's active members who signed its current
agreement (and members on a break who chose to read), and its facilitators. Everyone
else gets 404: outsiders, members of another group, pending and unsigned members, members
on a break who did not choose to read, organizers and staff (the space stays inside the
group's agreement). tests/space/test_access.py adds the unsigned member and the member on
a break who chose to read."""

from tests.access import Row, signed_in

READ = signed_in(404, member=200, facilitator=200)
READ_POST = signed_in(404, member=302, facilitator=302)
FACILITATOR = signed_in(404, facilitator=200)
FACILITATOR_POST = signed_in(404, facilitator=302)
READERS = {"member", "facilitator"}


def _group(w, *more):
    return [w.group.slug, *more]


def _private(w):
    return {
        "How was the week for everyone": READERS,
        "I could not sleep again this week.": READERS,
        "Hello from the other circle": {"other_member"},
    }


ROWS = [
    Row("space:board", READ, args=_group, private=_private),
    Row("space:thread_new", READ, args=_group),
    Row("space:care", READ, args=_group, query="thread=1"),
    Row(
        "space:participant",
        signed_in(404, member=200, on_break=200, facilitator=200),
        args=_group,
        note="on a break: where they choose to keep reading",
    ),
    Row(
        "space:thread",
        READ,
        args=lambda w: _group(w, w.space_thread.pk),
        private=_private,
    ),
    Row(
        "space:reply",
        READ_POST,
        args=lambda w: _group(w, w.space_thread.pk),
        method="post",
        data=lambda w: {"body": "Thinking of you all."},
    ),
    Row(
        "space:thread_moderate",
        FACILITATOR_POST,
        args=lambda w: _group(w, w.space_thread.pk),
        method="post",
        data=lambda w: {"pinned": "on", "slow_mode_minutes": "0"},
    ),
    Row(
        "space:post_edit",
        signed_in(404, member=200),
        args=lambda w: _group(w, w.space_post.pk),
        note="the author only, in the first 15 minutes",
    ),
    Row(
        "space:post_delete",
        signed_in(404, member=302),
        args=lambda w: _group(w, w.space_post.pk),
        method="post",
    ),
    Row(
        "space:post_report",
        signed_in(404, member=200),
        args=lambda w: _group(w, w.space_reply.pk),
        note="the facilitator's reply: its author cannot report it",
    ),
    Row(
        "space:post_review",
        FACILITATOR_POST,
        args=lambda w: _group(w, w.space_post.pk),
        method="post",
        data=lambda w: {"decision": "remove", "reason": "Off topic"},
    ),
    Row("space:suspend", FACILITATOR, args=lambda w: _group(w, w.space_post.pk)),
    Row(
        "space:author_lookup",
        FACILITATOR,
        args=lambda w: _group(w, w.space_post.pk),
        method="post",
    ),
    Row("space:moderation", FACILITATOR, args=_group),
    Row("space:group_settings", FACILITATOR, args=_group),
    Row(
        "space:unsuspend",
        FACILITATOR_POST,
        args=lambda w: _group(w, w.space_participant.pk),
        method="post",
    ),
    Row(
        "space:watched_words",
        signed_in(404, organizer=200),
        args=lambda w: [w.organisation.slug],
    ),
]
