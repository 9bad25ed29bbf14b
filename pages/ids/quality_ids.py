"""Component ids of quality: checks and scrap, control charts."""


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
