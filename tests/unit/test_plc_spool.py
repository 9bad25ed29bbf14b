"""The local spool keeps readings in order, across a restart, within its bound."""

from core.plc.spool import ReadingSpool


def test_entries_come_out_in_order_and_leave_only_when_removed(tmp_path):
    spool = ReadingSpool(tmp_path / "spool.sqlite")
    spool.append([{"n": 1}, {"n": 2}])
    spool.append([{"n": 3}])
    oldest = spool.oldest(2)
    assert [entry["n"] for _, entry in oldest] == [1, 2] and spool.depth == 3
    spool.remove_through(oldest[-1][0])
    assert [entry["n"] for _, entry in spool.oldest(10)] == [3] and spool.depth == 1
    spool.close()


def test_a_restarted_process_finds_the_spool_as_it_was(tmp_path):
    first = ReadingSpool(tmp_path / "spool.sqlite")
    first.append([{"n": 1}, {"n": 2}])
    spool_id = first.spool_id
    first.close()
    again = ReadingSpool(tmp_path / "spool.sqlite")
    assert again.spool_id == spool_id  # the database's watermark for it still applies
    assert [entry["n"] for _, entry in again.oldest(10)] == [1, 2]
    again.append([{"n": 3}])
    assert [seq for seq, _ in again.oldest(10)] == [1, 2, 3]
    again.close()


def test_a_full_spool_refuses_new_readings_and_counts_them(tmp_path):
    spool = ReadingSpool(tmp_path / "spool.sqlite", capacity=3)
    assert spool.append([{"n": 1}, {"n": 2}]) == 2
    assert spool.append([{"n": 3}, {"n": 4}, {"n": 5}]) == 1
    assert (spool.depth, spool.overflow) == (3, 2)
    spool.remove_through(spool.oldest(1)[0][0])
    assert spool.append([{"n": 6}]) == 1 and spool.overflow == 2
    assert [entry["n"] for _, entry in spool.oldest(10)] == [2, 3, 6]
    spool.close()
