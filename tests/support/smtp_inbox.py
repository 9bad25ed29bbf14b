"""A real SMTP server for tests (aiosmtpd) and the inbox it delivers to."""

from __future__ import annotations

from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from tests.support.enip_server import free_port


class Inbox:
    def __init__(self):
        self.messages = []
        self.received = []  # (recipients, the whole parsed message): for checking attachments

    async def handle_DATA(self, server, session, envelope):
        # The default policy unfolds a long Subject; Python may fold it right after "Subject:", hence strip.
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((tuple(envelope.rcpt_tos), str(message["Subject"]).strip()))
        self.received.append((tuple(envelope.rcpt_tos), message))
        return "250 OK"

    def take(self):
        taken, self.messages = sorted(self.messages), []
        return taken


class SmtpServer:
    """aiosmtpd on a fixed port; a stopped controller cannot start again, so each start makes a new one."""

    def __init__(self, inbox: Inbox):
        self.inbox, self.hostname, self.port, self._controller = inbox, "127.0.0.1", free_port(), None

    def start(self):
        self._controller = Controller(self.inbox, hostname=self.hostname, port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
