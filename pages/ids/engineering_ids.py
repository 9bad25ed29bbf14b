"""Component ids of engineering and maintenance: PLC connections, tags, fault analysis, stops of a loss, work orders."""


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


class TagsFocus:
    WINDOW = "tags-focus-window"  # store: the window from the address (?start=&end=), until a range is chosen


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


class Anomalies:
    """/engineering/anomalies: the anomaly timeline (a row per machine) and the latest stretches."""

    WINDOW = "anomalies-window"  # 24 or 168 hours
    TICK = "anomalies-tick"
    NOTE = "anomalies-note"  # the model's state, or why there is nothing to show
    TIMELINE = "anomalies-timeline"
    GRID = "anomalies-grid"


class FaultStops:
    URL = "fault-stops-url"
    TITLE = "fault-stops-title"
    SUMMARY = "fault-stops-summary"
    GRID = "fault-stops-grid"


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


class RiskBoard:
    """/engineering/risk: machines by downtime risk, with what is predicted and how accurate it has been."""

    TICK = "risk-tick"  # the ranking, every minute
    ACCURACY_TICK = "risk-accuracy-tick"  # the accuracy changes at most hourly (scoring, outcomes joined)
    TARGET = "risk-target"  # what is predicted, in words
    ACCURACY = "risk-accuracy"  # holdout and achieved accuracy against the baseline, with the verdict
    MACHINES = "risk-machines"  # a row per machine, riskiest first
    MODELS_LINK = "risk-models-link"  # to the model page


class MlModels:
    """/engineering/models: a model's active version, accuracy, drift and versions; promote / roll back
    (models.manage)."""

    MODEL = "models-model"  # which model (downtime_risk, anomaly)
    REFRESH = "models-refresh"  # store: bumped after a promotion or roll back to redraw the page
    ACTIVE = "models-active"
    ACCURACY = "models-accuracy"
    DRIFT = "models-drift"  # PSI per feature, with the retraining threshold
    DRIFT_NOTE = "models-drift-note"
    VERSIONS = "models-versions"
    MAKE_ACTIVE = "models-make-active"  # pattern-matching type: {"type": MAKE_ACTIVE, "version": id}
    ROLL_BACK = "models-roll-back"  # pattern-matching type: {"type": ROLL_BACK, "model": name}
    PENDING = "models-pending"  # store: the action waiting for its confirmation
    CONFIRM_DIALOG = "models-confirm-dialog"
    CONFIRM_TEXT = "models-confirm-text"
    CONFIRM = "models-confirm"
    CONFIRM_BACK = "models-confirm-back"
    MESSAGE = "models-message"  # the result of a promotion or roll back, in words
