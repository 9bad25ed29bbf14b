"""Component ids of admin: users, audit log, API keys, PLC tags, escalation rules, report schedules, data sources."""


class Users:
    GRID = "users-grid"
    MESSAGE = "users-message"
    NEW_USERNAME = "users-new-username"
    NEW_DISPLAY_NAME = "users-new-display-name"
    NEW_ROLE = "users-new-role"
    NEW_PASSWORD = "users-new-password"
    NEW_EMAIL = "users-new-email"
    CREATE = "users-create"
    SELECTED = "users-selected"
    EDIT_PANEL = "users-edit-panel"
    EDIT_ROLE = "users-edit-role"
    CHANGE_ROLE = "users-change-role"
    EDIT_PASSWORD = "users-edit-password"
    RESET_PASSWORD = "users-reset-password"
    EDIT_EMAIL = "users-edit-email"
    CHANGE_EMAIL = "users-change-email"
    TOGGLE_ACTIVE = "users-toggle-active"


class Audit:
    ACTOR = "audit-actor"
    ACTION = "audit-action"
    DATES = "audit-dates"
    TEXT = "audit-text"
    GRID = "audit-grid"
    PAGER = "audit-pager"
    SUMMARY = "audit-summary"


class ApiKeys:
    GRID = "apikeys-grid"
    MESSAGE = "apikeys-message"
    NEW_NAME = "apikeys-new-name"
    CREATE = "apikeys-create"
    REVOKE = "apikeys-revoke"


class AdminPlc:
    MACHINE = "admin-plc-machine"
    DRIVER = "admin-plc-driver"
    ADDRESS = "admin-plc-address"
    SLOT = "admin-plc-slot"
    RATE = "admin-plc-rate"
    TIMEOUT = "admin-plc-timeout"
    ROLE_TAG = "admin-plc-role-tag"  # pattern-matching type: {"type": ROLE_TAG, "role": role}
    TREND_TAGS = "admin-plc-trend-tags"
    TAG_TYPES = "admin-plc-tag-types"
    DEADBANDS = "admin-plc-deadbands"
    SAVE = "admin-plc-save"
    TEST = "admin-plc-test"
    MESSAGE = "admin-plc-message"
    TEST_RESULT = "admin-plc-test-result"


class AdminEscalation:
    GRID = "admin-escalation-grid"
    ADD = "admin-escalation-add"
    REMOVE = "admin-escalation-remove"
    SAVE = "admin-escalation-save"
    RELOAD = "admin-escalation-reload"
    MESSAGE = "admin-escalation-message"
    NOTICE_STATUS = "admin-escalation-notice-status"
    NOTICES = "admin-escalation-notices"
    TICK = "admin-escalation-tick"


class AdminReports:
    GRID = "admin-reports-grid"
    ADD = "admin-reports-add"
    REMOVE = "admin-reports-remove"
    SAVE = "admin-reports-save"
    RELOAD = "admin-reports-reload"
    MESSAGE = "admin-reports-message"
    RUNS = "admin-reports-runs"
    TICK = "admin-reports-tick"


class AdminSources:
    CARDS = "admin-sources-cards"
    EMPTY = "admin-sources-empty"
    MESSAGE = "admin-sources-message"
    SYNC = "admin-sources-sync"  # pattern-matching type: {"type": SYNC, "source": name}, one per card
    RETRY = "admin-sources-retry"  # the same for "Retry quarantined rows"
    QUARANTINE_SECTION = "admin-sources-quarantine-section"  # hidden when there is no source
    QUARANTINE_SOURCE = "admin-sources-quarantine-source"
    QUARANTINE = "admin-sources-quarantine"
    REFRESH = "admin-sources-refresh"  # store: bumped after a request to redraw the cards at once
    TICK = "admin-sources-tick"
