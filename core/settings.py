"""Floorboard's settings, read from environment variables with safe defaults.

Nothing here touches a database or a web framework: `load_settings(environ)`
turns a mapping of variables into a `Settings` value, or raises `ConfigError`
with one line that names the variable at fault.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

HOME_VAR = "FLOORBOARD_HOME"
DATABASE_URL_VAR = "FLOORBOARD_DATABASE_URL"
SECRET_KEY_VAR = "FLOORBOARD_SECRET_KEY"
HTTPS_VAR = "FLOORBOARD_HTTPS"
SESSION_HOURS_VAR = "FLOORBOARD_SESSION_HOURS"
TRUSTED_PROXIES_VAR = "FLOORBOARD_TRUSTED_PROXIES"

SECRET_KEY_FILE = "secret_key"
DEFAULT_DATABASE_FILE = "floorboard.db"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    secret_key: str
    https: bool = False
    session_hours: float = 12.0
    trusted_proxies: int = 0  # how many proxies in front may set X-Forwarded-For/-Proto


def default_home() -> Path:
    return Path.home() / ".floorboard"


def load_settings(environ: Mapping[str, str] | None = None, home: Path | None = None) -> Settings:
    """Read the settings; create the instance folder and the secret key file if needed."""
    environ = os.environ if environ is None else environ
    home = Path(home or environ.get(HOME_VAR) or default_home()).expanduser().resolve()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{HOME_VAR}: cannot create instance folder {home}: {exc.strerror}") from exc
    database_url = environ.get(DATABASE_URL_VAR) or f"sqlite:///{home / DEFAULT_DATABASE_FILE}"
    _check_database_url(database_url)
    return Settings(
        home=home,
        database_url=database_url,
        secret_key=environ.get(SECRET_KEY_VAR) or _instance_secret_key(home),
        https=_flag(environ, HTTPS_VAR),
        session_hours=_positive_number(environ, SESSION_HOURS_VAR, 12.0),
        trusted_proxies=_proxy_count(environ),
    )


def _check_database_url(url: str) -> None:
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018 - a port that is not a number raises here
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(f"{DATABASE_URL_VAR}: not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "mysql", "mariadb", "postgresql"}:
        raise ConfigError(
            f"{DATABASE_URL_VAR}: unsupported database {backend!r} (use sqlite, mysql+pymysql or postgresql+psycopg)"
        )
    try:
        parsed.get_dialect().import_dbapi()
    except ImportError as exc:
        raise ConfigError(
            f"{DATABASE_URL_VAR}: the driver for {parsed.drivername!r} is not installed ({exc.name}); "
            "use mysql+pymysql://, or install the driver"
        ) from exc


def _instance_secret_key(home: Path) -> str:
    """The key generated on first start and kept in the instance folder (never in the code)."""
    path = home / SECRET_KEY_FILE
    if not path.exists():
        # Written aside, then linked into place: two workers starting together
        # agree on one key and neither reads a half-written file.
        draft = home / f".{SECRET_KEY_FILE}.{secrets.token_hex(4)}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise ConfigError(f"{SECRET_KEY_VAR}: the key in {path} is too short; delete the file to make a new one")
    return key


def _flag(environ: Mapping[str, str], name: str) -> bool:
    value = environ.get(name, "").strip().lower()
    if value in {"", "0", "false", "no", "off"}:
        return False
    if value in {"1", "true", "yes", "on"}:
        return True
    raise ConfigError(f"{name}: expected true or false, got {value!r}")


def _proxy_count(environ: Mapping[str, str]) -> int:
    raw = environ.get(TRUSTED_PROXIES_VAR, "").strip()
    if not raw:
        return 0
    if not raw.isdigit() or int(raw) > 10:
        raise ConfigError(f"{TRUSTED_PROXIES_VAR}: expected the number of proxies in front (0-10), got {raw!r}")
    return int(raw)


def _positive_number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ConfigError(f"{name}: expected a positive number, got {raw!r}")
    return value
