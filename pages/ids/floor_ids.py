"""Component ids of the floor: shell, home, line board, andon panel, notices, my jobs, stop reasons, checklists."""


class Shell:
    NOTICES = "nav-notices"
    NOTICES_TICK = "nav-notices-tick"
    NAVBAR_TOGGLER = "navbar-toggler"
    NAVBAR_COLLAPSE = "navbar-collapse"
    AREA_MENUS = "nav-areas"
    USER_MENU = "nav-user-menu"


class Home:
    CONTENT = "home-content"


class HomeToday:
    TILES = "home-today"  # OEE and (money.view) money lost so far today, beside the screens
    TICK = "home-today-tick"


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
