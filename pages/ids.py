"""Component ids, defined once per page and shared by the page and its callbacks."""


class Shell:
    NOTICES = "nav-notices"
    NOTICES_TICK = "nav-notices-tick"
    NAVBAR_TOGGLER = "navbar-toggler"
    NAVBAR_COLLAPSE = "navbar-collapse"
    AREA_MENUS = "nav-areas"
    USER_MENU = "nav-user-menu"


class Home:
    CONTENT = "home-content"


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


class Board:
    LINE = "board-line"
    REQUESTED_LINE = "board-requested-line"
    TILES = "board-tiles"
    SHOWN_LINE = "board-shown-line"  # the line whose tiles are built; starts the refreshes
    TICK = "board-tick"
    SHIFT = "board-shift"
    UPDATED = "board-updated"
    TILE = "board-tile"  # pattern-matching type: {"type": TILE, "machine": code}
    FIELD = "board-field"  # pattern-matching type: {"type": FIELD, "machine": code, "field": name}
    FIELDS = ("state", "since", "reason", "good", "target", "oee", "apq")


class Plant:
    TABLE = "plant-table"
    TICK = "plant-tick"
    SHIFT = "plant-shift"


class ApiKeys:
    GRID = "apikeys-grid"
    MESSAGE = "apikeys-message"
    NEW_NAME = "apikeys-new-name"
    CREATE = "apikeys-create"
    REVOKE = "apikeys-revoke"


class Oee:
    URL = "oee-url"
    START = "oee-start"
    LINE = "oee-line"
    MACHINE = "oee-machine"
    GRANULARITY = "oee-granularity"
    SUMMARY = "oee-summary"
    TREND = "oee-trend"
    WATERFALL = "oee-waterfall"
    PARETO = "oee-pareto"
    PARETO_NOTE = "oee-pareto-note"
    LINES = "oee-lines"
    EXPORT_TABLE = "oee-export-table"
    EXPORT_CSV = "oee-export-csv"
    EXPORT_XLSX = "oee-export-xlsx"
    DOWNLOAD = "oee-download"


class PlcConnections:
    TICK = "plc-tick"
    WARNING = "plc-warning"
    GRID = "plc-connections-grid"
    OUTAGES = "plc-outages-grid"


class Tags:
    MACHINE = "tags-machine"
    TICK = "tags-tick"
    LIVE = "tags-live-grid"
    LIVE_NOTE = "tags-live-note"
    TREND_TAGS = "tags-trend-tags"
    RANGE = "tags-range"
    TREND = "tags-trend"
    TREND_NOTE = "tags-trend-note"


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


class AndonPanel:
    MACHINE = "andon-panel-machine"
    REQUESTED_MACHINE = "andon-panel-requested-machine"  # store: ?machine= from a link (the stop queue's)
    KIND = "andon-panel-kind"  # pattern-matching type: {"type": KIND, "kind": kind}
    CHOSEN = "andon-panel-chosen"
    CONFIRM_MODAL = "andon-panel-confirm-modal"
    CONFIRM_TEXT = "andon-panel-confirm-text"
    NOTE = "andon-panel-note"
    CONFIRM = "andon-panel-confirm"
    CANCEL = "andon-panel-cancel"
    MESSAGE = "andon-panel-message"
    CALLS = "andon-panel-calls"
    TICK = "andon-panel-tick"


class AndonBoard:
    GRID = "andon-board-grid"
    TICK = "andon-board-tick"
    ACKNOWLEDGE = "andon-board-acknowledge"
    RESOLUTION = "andon-board-resolution"
    RESOLVE = "andon-board-resolve"
    MESSAGE = "andon-board-message"


class Notices:
    LIST = "notices-list"
    MARK_READ = "notices-mark-read"
    MESSAGE = "notices-message"


class MyJobs:
    CARDS = "my-jobs-cards"
    MESSAGE = "my-jobs-message"
    TICK = "my-jobs-tick"
    REFRESH = "my-jobs-refresh"  # dcc.Store bumped after a move, so the cards follow at once
    MOVE = "my-jobs-move"  # pattern-matching type: {"type": MOVE, "action": accept|start|changeover, "job": id}
    ASK_COMPLETE = "my-jobs-ask-complete"  # pattern-matching type: {"type": ASK_COMPLETE, "job": id}
    ASK_CANCEL = "my-jobs-ask-cancel"  # pattern-matching type: {"type": ASK_CANCEL, "job": id}
    CHOSEN = "my-jobs-chosen"  # the job a dialog is about
    COMPLETE_MODAL = "my-jobs-complete-modal"
    COMPLETE_TITLE = "my-jobs-complete-title"
    GOOD = "my-jobs-good"
    SCRAP = "my-jobs-scrap"
    COMPLETE = "my-jobs-complete"
    COMPLETE_BACK = "my-jobs-complete-back"
    COMPLETE_ERROR = "my-jobs-complete-error"
    CANCEL_MODAL = "my-jobs-cancel-modal"
    CANCEL_TITLE = "my-jobs-cancel-title"
    REASON = "my-jobs-reason"
    CANCEL = "my-jobs-cancel"
    CANCEL_BACK = "my-jobs-cancel-back"
    CANCEL_ERROR = "my-jobs-cancel-error"


class JobBoard:
    MESSAGE = "job-board-message"
    TICK = "job-board-tick"
    NUMBER = "job-board-number"
    PRODUCT = "job-board-product"
    QUANTITY = "job-board-quantity"
    WHERE = "job-board-where"  # "line:L1" or "machine:MIX1"
    DUE = "job-board-due"
    LOT = "job-board-lot"
    CREATE = "job-board-create"
    WORK_ORDER = "job-board-work-order"
    OPERATOR = "job-board-operator"
    MACHINE = "job-board-machine"
    ASSIGN = "job-board-assign"
    STATUS = "job-board-status"
    GRID = "job-board-grid"
    REASON = "job-board-reason"
    CANCEL = "job-board-cancel"


class StopQueue:
    """The stop-reason queue above the tiles of the line board."""

    SECTION = "stop-queue"
    COUNT = "stop-queue-count"
    STOPS = "stop-queue-stops"  # store: the queued stops
    SELECTED = "stop-queue-selected"  # store: the chosen stop's id
    PATH = "stop-queue-path"  # store: the reason codes tapped so far
    STOP_LIST = "stop-queue-stop-list"
    STOP = "stop-queue-stop"  # pattern-matching type: {"type": STOP, "stop": id}
    TRAIL = "stop-queue-trail"
    BACK = "stop-queue-back"
    REASONS = "stop-queue-reasons"
    REASON = "stop-queue-reason"  # pattern-matching type: {"type": REASON, "code": code}
    MESSAGE = "stop-queue-message"
    CALL_FOR_HELP = "stop-queue-call-for-help"  # a link in the message, to the andon panel at that machine


class Stops:
    """Managers' stop list: change a reason, split a stop."""

    LINE = "stops-line"
    DAY = "stops-day"
    SHARE = "stops-share"
    GRID = "stops-grid"
    REASON = "stops-reason"
    CHANGE = "stops-change"
    SPLIT_AT = "stops-split-at"
    SECOND_REASON = "stops-second-reason"
    SPLIT = "stops-split"
    MESSAGE = "stops-message"
    REFRESH = "stops-refresh"  # store: bumped after an edit to reload the grid


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


class Checklists:
    MACHINE = "checklists-machine"
    CHOICE = "checklists-choice"  # which checklist of the machine
    STATUS = "checklists-status"  # what is due at the machine
    FORM = "checklists-form"  # the items, made when a checklist is chosen
    ANSWER = "checklists-answer"  # pattern-matching type: {"type": ANSWER, "item": code}
    SIGNATURE = "checklists-signature"  # dcc.Store: the drawn signature as a PNG data URL (assets/checklist_signature.js)
    SUBMIT = "checklists-submit"
    RESULT = "checklists-result"
    RESULT_MODAL = "checklists-result-modal"  # the verdict, in view wherever the page was scrolled
    RESULT_CLOSE = "checklists-result-close"


class ChecklistCompliance:
    DATES = "checklist-compliance-dates"
    LINE = "checklist-compliance-line"
    SUMMARY = "checklist-compliance-summary"
    GRID = "checklist-compliance-grid"


class Reports:
    KIND = "reports-kind"
    LINE = "reports-line"
    DAY = "reports-day"
    SHIFT = "reports-shift"
    SHIFT_FIELD = "reports-shift-field"  # shown for shift reports only
    LAST_DAY = "reports-last-day"
    LAST_DAY_FIELD = "reports-last-day-field"  # hidden for shift reports
    CUSTOM_FIELDS = "reports-custom-fields"  # shown for custom reports only
    SECTIONS = "reports-sections"
    LINES = "reports-lines"
    PDF = "reports-pdf"
    XLSX = "reports-xlsx"
    CSV = "reports-csv"
    DOWNLOAD = "reports-download"
    MESSAGE = "reports-message"
    HISTORY = "reports-history"
    HISTORY_DOWNLOAD = "reports-history-download"
    SEND_TO = "reports-send-to"
    SEND = "reports-send"
    REFRESH = "reports-refresh"  # store: bumped after a build to reload the history


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


class Money:
    PRESET = "money-preset"
    DATES = "money-dates"
    LINE = "money-line"
    SUMMARY = "money-summary"
    CATEGORY = "money-category"
    TREND = "money-trend"
    LINES = "money-lines"
    MACHINES = "money-machines"
    NOTES = "money-notes"


class HomeToday:
    TILES = "home-today"  # OEE and (money.view) money lost so far today, beside the screens
    TICK = "home-today-tick"


class Trials:
    GRID = "trials-grid"
    MESSAGE = "trials-message"
    REFRESH = "trials-refresh"  # store: bumped after each change to reload the list and the panel
    SELECTED = "trials-selected"  # store: the id of the trial chosen in the list
    TITLE = "trials-title"
    LINE = "trials-line"
    PLANNED_START = "trials-planned-start"
    PLANNED_END = "trials-planned-end"
    PARAMETERS = "trials-parameters"
    EXPECTED = "trials-expected"
    CREATE = "trials-create"
    SAVE = "trials-save"
    CLEAR = "trials-clear"
    HEADING = "trials-heading"  # the chosen trial's title and state above the run buttons
    AT = "trials-at"  # when it started or ended, when not now
    START = "trials-start"
    RESULTS = "trials-results"
    LEARNINGS = "trials-learnings"
    SUCCESS = "trials-success"
    COMPLETE = "trials-complete"
    CANCEL = "trials-cancel"
    SUMMARY = "trials-summary"  # the comparison's windows and numbers
    CHART = "trials-chart"


class Faults:
    URL = "faults-url"
    START = "faults-dates"
    LINE = "faults-line"
    MACHINE = "faults-machine"
    SUMMARY = "faults-summary"
    TIMELINE = "faults-timeline"  # the Gantt of states
    PARETO = "faults-pareto"
    BY_MACHINE = "faults-by-machine"  # MTBF and MTTR per machine
    BY_FAULT = "faults-by-fault"  # ... and per fault code
    REPEATS = "faults-repeats"
    DRILL = "faults-drill"  # dcc.Location: a Pareto bar's stops list
    OVERDUE = "faults-overdue"  # preventive work past its due time, from core.maintenance


class FaultStops:
    URL = "fault-stops-url"
    TITLE = "fault-stops-title"
    SUMMARY = "fault-stops-summary"
    GRID = "fault-stops-grid"


class OeeDrill:
    LOCATION = "oee-drill"  # dcc.Location: a clicked loss's stops list
    NOTE = "oee-drill-note"  # why a clicked bar has no stops list


class TagsFocus:
    WINDOW = "tags-focus-window"  # store: the window from the address (?start=&end=), until a range is chosen


class MaintenanceIds:
    """The maintenance pages: the list (/maintenance), a new corrective order (/maintenance/work-orders/new) and
    one order (/maintenance/work-orders/view?id=N)."""

    # the list
    STATE = "maintenance-state"
    MACHINE = "maintenance-machine"
    ASSIGNEE = "maintenance-assignee"
    DAYS = "maintenance-days"  # the window of the MTTR comparison
    OVERDUE = "maintenance-overdue"  # overdue preventive work, on top
    GRID = "maintenance-grid"
    MTTR = "maintenance-mttr"
    PLANS = "maintenance-plans"
    TICK = "maintenance-tick"
    # a new corrective order: the stop or call, and one big button
    REQUEST = "maintenance-new-request"  # store: {"stop": id} or {"andon": id} from the address
    SOURCE = "maintenance-new-source"
    CREATE = "maintenance-new-create"
    CREATE_MESSAGE = "maintenance-new-message"
    GO = "maintenance-new-go"  # dcc.Location: to the order's page once it is made
    # one order
    ORDER = "maintenance-order"  # store: the order id from the address
    ORDER_TITLE = "maintenance-order-title"
    ORDER_FACTS = "maintenance-order-facts"
    TASKS = "maintenance-order-tasks"
    TASK = "maintenance-order-task"  # pattern-matching type: {"type": TASK, "task": id}, a checkbox per task
    ASSIGN_TO = "maintenance-order-assign-to"
    ASSIGN = "maintenance-order-assign"
    START = "maintenance-order-start"
    MINUTES = "maintenance-order-minutes"
    PARTS = "maintenance-order-parts"
    COST = "maintenance-order-cost"
    COMPLETE = "maintenance-order-complete"
    WORK = "maintenance-order-work"  # the start / complete controls, shown as the state allows
    ORDER_MESSAGE = "maintenance-order-message"
    REFRESH = "maintenance-order-refresh"  # store: bumped after a move to redraw the order
    CURRENCY = "maintenance-order-currency"
    COMPLETE_CARD = "maintenance-order-complete-card"
    # "Work order" buttons on the andon board and the stops page, and where they lead
    ANDON_WORK_ORDER = "andon-board-work-order"
    ANDON_GO = "andon-board-work-order-go"  # dcc.Location
    STOPS_WORK_ORDER = "stops-work-order"
    STOPS_GO = "stops-work-order-go"  # dcc.Location


class Quality:
    MACHINE = "quality-machine"  # the machine both the check and the scrap are about
    TEMPLATE = "quality-template"
    FORM = "quality-form"
    LIMITS = "quality-limits"  # store: {characteristic code: {"lower", "upper", "unit"}} of the form shown
    VALUE = "quality-value"  # pattern-matching type: {"type": VALUE, "characteristic": code, "sample": n}
    FEEDBACK = "quality-feedback"  # the same ids with FEEDBACK: in or out of limits, under each value
    NOTE = "quality-note"
    SUBMIT = "quality-submit"
    RESULT = "quality-result"
    SCRAP_QUANTITY = "quality-scrap-quantity"
    SCRAP_DEFECT = "quality-scrap-defect"
    SCRAP_MADE = "quality-scrap-made"  # when the parts were made: latest production, or a recent shift/day
    SCRAP_NOTE = "quality-scrap-note"
    SCRAP_RECORD = "quality-scrap-record"
    SCRAP_RESULT = "quality-scrap-result"
    PERIOD = "quality-period"  # today, yesterday or the last 7 days: recent records and FPY
    FPY = "quality-fpy"
    FPY_LINES = "quality-fpy-lines"
    CHECKS = "quality-checks"
    SCRAP = "quality-scrap"
    VOID = "quality-scrap-void"
    VOID_MESSAGE = "quality-scrap-void-message"
    REFRESH = "quality-refresh"  # store: bumped after a record to redraw the lists


class QualitySpc:
    CHARACTERISTIC = "quality-spc-characteristic"
    MACHINE = "quality-spc-machine"
    DAYS = "quality-spc-days"
    CHART = "quality-spc-chart"
    SUMMARY = "quality-spc-summary"
