"""Quality: checks against limits, scrap with defect codes, first-pass yield and control charts.

- `limits`            pure: the in-limits rule (a value on a limit is in limits) and how limits read
- `control_charts`    pure: I-MR and X-bar/R charts (centre line, control limits, out-of-control points)
- `first_pass_yield`  pure: FPY of a machine, rolled throughput yield of a line (the formula is there)
- `reject_counting`   does a machine count its own rejects? (the rule below)
- `catalog`           the defect-code tree and the check templates that apply at a machine
- `checks`            record a check; a value out of limits raises a quality andon call
- `scrap`             record scrap (and take it back); it feeds the reject counts
- `yields`, `spc`     FPY by machine and line over a window; a characteristic's control chart over a window
- `overview`          the quality page's period: checks, scrap, FPY
- `demo_data`         the demo plant's checks and scrap

Scrap and the reject count — the same parts are never counted twice:

1. A machine counts its own rejects when its PLC has a `reject` tag whose counts the poller writes, or when
   another writer than scrap (PLC, API, sync, simulator) stored rejects for it in the 7 days before the
   scrap's time. Those rejects already are in its reject count, and so in OEE quality.
2. On such a machine a scrap entry only classifies units already counted (it says which defect they had);
   it writes no count. Its `counted_by` is "machine".
3. On any other machine the scrap was counted as good (or not at all): the entry moves its units from good
   to reject at its time with one count increment of good = -q, reject = +q and source "scrap". Units made
   stay the same, so performance does not change; good falls and reject rises by q, so quality, OEE, the
   reject cost and every roll-up follow. Its `counted_by` is "scrap".
4. The decision is taken once, when the entry is recorded, and kept on the entry: a later change of the
   plant file does not move units again. Taking an entry back deletes its increment and asks the roll-ups
   to recompute from its time; the entry stays, marked void.
5. An entry may scrap at most the units its machine made in the 24 hours up to its time (the good units for
   a move); the quantity is a whole number of at least 1; the machine and the defect code must exist.

A job's own "scrap" quantity, typed when the operator completes it, is a figure of the job report and
does not touch the counts.
"""
