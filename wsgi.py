"""WSGI entry point: `gunicorn -w 4 wsgi:app`. Settings come from FLOORBOARD_* environment variables."""

from dashapp import create_app

app = create_app().server
