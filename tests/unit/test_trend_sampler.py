"""Trend samples: kept on a change beyond the deadband; minutes summarised when they close."""

from core.plc.driver import TagValue
from core.plc.trend_sampler import MinuteSummary, TrendSampler


def observe(sampler, at, deadbands=None, **values):
    return sampler.observe(7, {tag: TagValue(v) for tag, v in values.items()}, deadbands or {}, at)


def test_a_value_is_kept_when_it_moves_beyond_the_deadband_from_the_last_kept_one():
    sampler = TrendSampler()
    band = {"T": 0.5}
    assert observe(sampler, 0, band, T=20.0, R=True)[0] == {"T": 20.0, "R": 1.0}
    assert observe(sampler, 1, band, T=20.4, R=True)[0] == {}  # within the band, unchanged bit
    assert observe(sampler, 2, band, T=20.6, R=False)[0] == {"T": 20.6, "R": 0.0}
    assert observe(sampler, 3, band, T=20.3, R=False)[0] == {}  # 0.3 from the last kept value
    assert observe(sampler, 4, band, P="P-100")[0] == {}  # text is not trended


def test_a_bad_value_is_neither_kept_nor_summarised():
    sampler = TrendSampler()
    samples, _ = sampler.observe(7, {"T": TagValue(None, "timeout")}, {}, 0)
    assert samples == {}


def test_each_minute_is_summarised_when_the_next_one_starts():
    sampler = TrendSampler()
    for second, value in ((0, 10.0), (20, 14.0), (59, 12.0)):
        assert observe(sampler, 600 + second, T=value)[1] == []
    closed = observe(sampler, 661, T=11.0)[1]
    assert closed == [MinuteSummary(7, "T", 600, 10.0, 14.0, 12.0, 3)]


def test_nan_and_infinity_are_not_trended():
    sampler = TrendSampler()
    samples, _ = observe(sampler, 0, T=float("nan"), U=float("inf"), V=1.5)
    assert samples == {"V": 1.5}
