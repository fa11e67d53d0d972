"""A batch of reminders handed to SMTP with MAIL, RCPT and DATA pipelined (RFC 2920) when
the server offers PIPELINING, one at a time when it does not, over real sockets to aiosmtpd.

Both ways, every member gets their own message with their row's Message-ID, and a refusal
is classified the same: 5xx for the recipient bounced (the address remembered), 4xx
retried later, a message refused after its content bounced; the rest of the batch still
goes out over the same connection.
"""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

from members.models import Delivery, EmailBounce
from members.notifications import deliveries_send
from sessions.reminders import reminders_fan_out
from tests.fixtures.mail import SmtpSink, free_port
from tests.reliability.crowds import by_recipient, meeting_with_members_going

pytestmark = pytest.mark.django_db

REFUSED_AT_RCPT = {"-1@": "550 5.1.1 no such mailbox", "-2@": "451 4.2.0 mailbox busy"}
REFUSED_AT_DATA = {"-3@": "554 5.7.1 message refused"}


class _RefusingSink(SmtpSink):
    """aiosmtpd answering as a relay would: some recipients refused at RCPT, one message
    refused once its content arrived. `pipelining` adds PIPELINING to its EHLO answer."""

    def __init__(self, pipelining: bool) -> None:
        super().__init__()
        self.pipelining, self.pipelined = pipelining, 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses.insert(-1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # DATA already waiting behind RCPT: the client did not wait for RCPT's answer.
        self.pipelined += b"DATA" in bytes(server._reader._buffer)
        for marker, answer in REFUSED_AT_RCPT.items():
            if marker in address:
                return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(marker in envelope.rcpt_tos[0] for marker in REFUSED_AT_DATA):
            return next(iter(REFUSED_AT_DATA.values()))
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(params=[True, False], ids=["pipelining", "one-at-a-time"])
def refusing_sink(request, settings):
    sink = _RefusingSink(pipelining=request.param)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


def test_batch_handed_off_with_refusals_classified_alike(refusing_sink):
    meeting, addresses = meeting_with_members_going(12)
    reminders_fan_out(meeting_id=meeting.pk, offset=1440)
    rows = {row.recipient.email: row for row in Delivery.objects.select_related("recipient")}

    outcomes = deliveries_send(delivery_ids=[row.pk for row in rows.values()])

    def refused(markers):
        return {a for a in addresses if any(m in a for m in markers)}

    at_rcpt_5xx, at_rcpt_4xx = refused(["-1@"]), refused(["-2@"])
    at_data = refused(REFUSED_AT_DATA)
    delivered = addresses - at_rcpt_5xx - at_rcpt_4xx - at_data
    grouped = by_recipient(refusing_sink.wait_for(len(delivered)))
    assert set(grouped) == delivered
    for address, copies in grouped.items():
        assert [m["Message-ID"] for m in copies] == [rows[address].message_id]
    assert {outcomes[rows[a].pk] for a in delivered} == {"sent"}
    assert {outcomes[rows[a].pk] for a in at_rcpt_5xx | at_data} == {"bounced"}
    assert set(EmailBounce.objects.values_list("email", flat=True)) == at_rcpt_5xx | at_data
    for address in at_rcpt_4xx:  # temporary: tried again later, address not remembered
        assert outcomes[rows[address].pk] == "failed"
        assert outcomes[rows[address].pk].retry_in is not None
        row = Delivery.objects.get(pk=rows[address].pk)
        assert row.last_error.startswith("refused for now: 451")
    # Pipelined when offered (every message), never when not.
    assert refusing_sink.pipelined == (len(addresses) if refusing_sink.pipelining else 0)
