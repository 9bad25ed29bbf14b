"""Syncing machine data from another database: a CIMCO-style job/state log in MySQL (`[[sources]]`).

How a source row becomes Floorboard data (core.sync.row_mapping does the mapping, core.sync.synced_rows_store
the writing, core.sync.source_sync the runs):

- A row is a stretch of one machine in one state: `start` to `end` (no end, or an end from year 9000 on:
  still going on). The machine is the `equipment` map's code for the source's machine name, or the name
  itself when it is an equipment code. Times are local to the source's `timezone` (the site's when not
  given); an ambiguous time at a DST change is read as its first occurrence, unless that makes the stretch
  end before it starts (then as the other); times before 1971 or after 2199 are refused.
- The row writes: a state change at `start`; a `no_data` change at `end` unless another row of the same
  machine starts exactly there (a gap in the log is a gap in the timeline, never the last state stretched);
  its good and reject units spread over the stretch by time, cut at UTC hours, local midnight and shift
  edges (core.sync.count_spreading: a job across midnight counts on both days; an open row spreads them up
  to its `updated_column` time, else the run's time); a product change at `start` where the machine's part
  changes. Parts, operators and job numbers are created when first seen (products, operators,
  machine_jobs).
- Each row is stored once per (source, source row id) in synced_rows, and every timeline row it wrote
  carries that id: a rerun writes nothing twice, and a row changed in the source (seen by `updated_column`,
  or read again in the overlap window) replaces what it wrote.
- A batch of rows and the watermark that follows it are written in one transaction: a failure in the middle
  of a batch leaves the batch unwritten and the watermark where it was, and the next run does it again.
  The `updated_column` watermark never passes the run's own time (a row stamped in the future would hide
  later changes), and changed rows are read from an hour before it less the overlap (the hour the clocks
  repeat). One run of a source at a time; a renamed source (same url_env and table) keeps its rows.
- A row that cannot be taken in (unknown state value, unknown machine, no or unparseable start, end before
  start, a count that is not a whole number >= 0, the same machine and start as another row) goes to
  sync_quarantine with the reason and the raw row; it never stops the good rows. `floorboard sync retry`
  reads the quarantined rows again from the source, after the mapping was fixed, and takes those that pass.
- A machine that a PLC also reads: `[sources.plc]` says which of the two writes its states and which its
  counts. "plc" (the default) for a kind: the sync leaves that kind out for every machine with a PLC (the
  row's part, job and operator are still taken). "source": the sync writes that kind, and the PLC poller
  stops writing it, for the PLC machines named in the source's `[sources.equipment]` map (naming them is
  the deliberate step); a PLC machine not named there keeps its PLC's data.
"""
