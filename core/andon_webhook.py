"""Andon escalation webhooks: which `notify` entries are webhook URLs, the JSON body a receiver gets, and the
poster that sends it (requests, with a timeout).

The body (version 1; keys may be added, none renamed):

    {"event": "andon.escalation", "delivery": 42,
     "call": {"id": 7, "kind": "maintenance", "priority": "high", "status": "open", "note": "...",
              "raised_at": "2026-03-02T12:00:00+00:00", "acknowledged_at": null},
     "equipment": {"code": "BAG1", "name": "Bagger 1"}, "line": {"code": "L1", "name": "Bagging line 1"},
     "level": {"phase": "raised", "after_minutes": 10.0, "number": 2},
     "sent_at": "2026-03-02T12:10:00+00:00"}

The `Floorboard-Delivery` header (and `delivery`) is the notice id: the same on every retry of one notice,
so a receiver that got a delivery whose answer was lost can recognise the retry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Mapping, Protocol
from urllib.parse import urlsplit

import requests

if TYPE_CHECKING:  # the plant file's schema imports the URL rules here; it needs nothing of the notices
    from core.andon_delivery import NoticeMessage

EVENT = "andon.escalation"
DELIVERY_HEADER = "Floorboard-Delivery"
# A webhook URL is stored as the notice's recipient: AndonNotice.recipient holds 254 characters.
WEBHOOK_URL_MAX = 254
DEFAULT_TIMEOUT_S = 5.0


class WebhookError(Exception):
    """The receiver did not accept the delivery (no 2xx, timed out, unreachable); it may be retried."""


def is_webhook_target(name: str) -> bool:
    """A `notify` entry with a scheme ("...://") is a webhook URL; everything else names people."""
    return "://" in name


def webhook_url_problem(url: str) -> str | None:
    """Why `url` cannot be a webhook target, or None when it can."""
    if len(url) > WEBHOOK_URL_MAX:
        return f"webhook URL is {len(url)} characters long; at most {WEBHOOK_URL_MAX} are stored"
    if any(ch.isspace() for ch in url):
        return f"webhook URL {url!r} contains a space"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        return f"webhook URL {url!r} is malformed: {exc}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"webhook URL {url!r} must start with http:// or https://"
    if not parts.hostname:
        return f"webhook URL {url!r} has no host"
    return None


def webhook_body(message: NoticeMessage, now: datetime) -> dict[str, Any]:
    """The JSON document posted for one notice (see the module docstring)."""
    return {
        "event": EVENT, "delivery": message.notice_id,
        "call": {"id": message.call_id, "kind": message.kind, "priority": message.priority,
                 "status": message.status, "note": message.note, "raised_at": message.raised_at.isoformat(),
                 "acknowledged_at": message.acknowledged_at.isoformat() if message.acknowledged_at else None},
        "equipment": {"code": message.equipment_code, "name": message.equipment_name},
        "line": {"code": message.line_code, "name": message.line_name},
        "level": {"phase": message.phase, "after_minutes": message.after_minutes, "number": message.level + 1},
        "sent_at": now.isoformat(),
    }


def webhook_headers(message: NoticeMessage) -> dict[str, str]:
    return {"Content-Type": "application/json", DELIVERY_HEADER: str(message.notice_id),
            "User-Agent": "Floorboard-Webhook/1"}


class WebhookPoster(Protocol):
    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        """Deliver `body`; raise WebhookError unless the receiver answered 2xx."""


@dataclass(frozen=True)
class HttpWebhookPoster:
    timeout_s: float = DEFAULT_TIMEOUT_S  # per connect and per read: a receiver that hangs counts as a failure

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        try:
            # Redirects are not followed: a POST bounced elsewhere is a receiver to fix, not to guess at.
            response = requests.post(url, data=body, headers=dict(headers), timeout=self.timeout_s,
                                     allow_redirects=False)
        # The errors name the host only: a webhook URL's path often holds the receiver's secret token.
        except requests.Timeout as exc:
            raise WebhookError(f"no answer from {webhook_host(url)} within {self.timeout_s:g} s") from exc
        except requests.ConnectionError as exc:
            raise WebhookError(f"cannot connect to {webhook_host(url)}") from exc
        except requests.RequestException as exc:
            raise WebhookError(f"{webhook_host(url)}: {exc.__class__.__name__}") from exc
        with response:
            if not 200 <= response.status_code < 300:
                status = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
                raise WebhookError(f"{webhook_host(url)} answered {status}")


def webhook_host(url: str) -> str:
    """The host (and port) of a webhook URL: what is shown where the whole URL, a possible secret, must not be."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def webhook_label(url: str) -> str:
    """A webhook URL as people other than the admins may see it: its host and a short hash of the whole URL,
    so two URLs on one host (two chat channels) stay apart without showing the secret in the path."""
    return f"webhook {webhook_host(url)} #{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def post_notice(poster: WebhookPoster, message: NoticeMessage, now: datetime) -> None:
    body = json.dumps(webhook_body(message, now), separators=(",", ":")).encode()
    poster.post(message.recipient, body, webhook_headers(message))


def webhook_poster_from_environment(environ: Mapping[str, str]) -> HttpWebhookPoster:
    """The poster, with FLOORBOARD_WEBHOOK_TIMEOUT_S (seconds, default 5) as its timeout."""
    text = environ.get("FLOORBOARD_WEBHOOK_TIMEOUT_S", "").strip()
    if not text:
        return HttpWebhookPoster()
    try:
        timeout = float(text)
    except ValueError:
        timeout = -1.0
    if not 0 < timeout <= 120:
        raise ValueError(f"FLOORBOARD_WEBHOOK_TIMEOUT_S: give seconds between 0 and 120, got {text!r}")
    return HttpWebhookPoster(timeout)
