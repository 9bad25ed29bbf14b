"""Component ids of management: plant overview, OEE and its drill-down, andon board, job board, stops, checklist compliance, reports, money, trials."""


class Plant:
    TABLE = "plant-table"
    TICK = "plant-tick"
    SHIFT = "plant-shift"


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


class OeeDrill:
    LOCATION = "oee-drill"  # dcc.Location: a clicked loss's stops list
    NOTE = "oee-drill-note"  # why a clicked bar has no stops list


class AndonBoard:
    GRID = "andon-board-grid"
    TICK = "andon-board-tick"
    ACKNOWLEDGE = "andon-board-acknowledge"
    RESOLUTION = "andon-board-resolution"
    RESOLVE = "andon-board-resolve"
    MESSAGE = "andon-board-message"


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
