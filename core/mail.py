"""Sending email through the plant's SMTP server (standard library smtplib), configured by environment:
FLOORBOARD_SMTP_HOST, _PORT (default 25, or 587 with STARTTLS), _USER, _PASSWORD, _STARTTLS (1/0),
FLOORBOARD_MAIL_FROM. Without a server (the demo), `FolderMailer` writes each message to a folder as an
.eml file, as Django's file-based email backend does."""

from __future__ import annotations

import os
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Mapping, Protocol


class MailError(Exception):
    """The message was not accepted (server away, refused, timed out); the send may be retried."""


class Mailer(Protocol):
    def send(self, to: list[str], subject: str, body: str,
             attachments: list[tuple[str, bytes, str]] | None = None) -> None: ...


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int = 25
    sender: str = "floorboard@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout_s: float = 20.0

    def send(self, to: list[str], subject: str, body: str,
             attachments: list[tuple[str, bytes, str]] | None = None) -> None:
        message = compose(self.sender, to, subject, body, attachments)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"SMTP {self.host}:{self.port}: {exc}") from exc


@dataclass(frozen=True)
class FolderMailer:
    """Delivers into a folder, one .eml file per message (written whole, then renamed into place)."""

    folder: Path
    sender: str = "floorboard@localhost"

    def send(self, to: list[str], subject: str, body: str,
             attachments: list[tuple[str, bytes, str]] | None = None) -> None:
        message = compose(self.sender, to, subject, body, attachments)
        name = f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{name}.partial"
            partial.write_bytes(bytes(message))
            os.replace(partial, self.folder / name)
        except OSError as exc:
            raise MailError(f"mail folder {self.folder}: {exc}") from exc


def compose(sender: str, to: list[str], subject: str, body: str,
            attachments: list[tuple[str, bytes, str]] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, ", ".join(to), subject
    message.set_content(body)
    for filename, content, mime in attachments or []:
        main, _, sub = mime.partition("/")
        message.add_attachment(content, maintype=main, subtype=sub, filename=filename)
    return message


def mailer_from_environment(environ: Mapping[str, str]) -> SmtpMailer | None:
    """The configured mailer, or None when FLOORBOARD_SMTP_HOST is not set (email is then not sent)."""
    host = environ.get("FLOORBOARD_SMTP_HOST", "").strip()
    if not host:
        return None
    starttls = environ.get("FLOORBOARD_SMTP_STARTTLS", "0").strip().lower() in {"1", "true", "yes", "on"}
    port_text = environ.get("FLOORBOARD_SMTP_PORT", "587" if starttls else "25").strip()
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"FLOORBOARD_SMTP_PORT: not a port number: {port_text!r}")
    return SmtpMailer(host, int(port_text), environ.get("FLOORBOARD_MAIL_FROM", f"floorboard@{host}"),
                      environ.get("FLOORBOARD_SMTP_USER") or None, environ.get("FLOORBOARD_SMTP_PASSWORD"), starttls)
