"""The person behind the current request, as the audit log records them."""

from flask import request
from flask_login import current_user

from core.accounts import Actor


def current_actor() -> Actor:
    return Actor(username=current_user.username, address=request.remote_addr or "")
