"""The OEE page's trend figure (callbacks/oee_charts.py)."""

import pandas as pd

from callbacks.oee_charts import trend_figure


def trend(periods: list[str]) -> pd.DataFrame:
    starts = pd.to_datetime([f"{period}T05:00:00Z" for period in periods])
    return pd.DataFrame({"period": periods, "period_start": starts, "oee": 0.6, "availability": 0.8,
                         "performance": 0.85, "quality": 0.9})


def test_a_single_period_is_labelled_by_its_name_not_by_milliseconds():
    figure = trend_figure(trend(["2026-12-01"]), 0.75)
    assert list(figure.layout.xaxis.ticktext) == ["2026-12-01"]
    assert len(figure.data) == 4 and list(figure.data[0].y) == [0.6]


def test_several_periods_keep_the_time_axis():
    figure = trend_figure(trend(["2026-11-30", "2026-12-01"]), None)
    assert figure.layout.xaxis.ticktext is None
    assert len(figure.data[0].x) == 2
