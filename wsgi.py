"""WSGI entry point: `gunicorn -w 4 wsgi:app`. Settings come from FLOORBOARD_* environment variables."""

from core.settings import ConfigError
from dashapp import create_app

try:
    app = create_app().server
except ConfigError as exc:
    raise SystemExit(f"floorboard: {exc}") from None  # one line in gunicorn's log, not a traceback
