"""Quality: checks against limits, scrap with defect codes, first-pass yield and control charts.

- `limits`            pure: the in-limits rule (a value on a limit is in limits) and how limits read
- `control_charts`    pure: I-MR and X-bar/R charts (centre line, control limits, out-of-control points)
- `first_pass_yield`  pure: FPY of a machine, rolled throughput yield of a line (the formula is there)
- `reject_counting`   where a scrap entry is booked and how much it classifies or moves (the rule below)
- `catalog`           the defect-code tree and the check templates that apply at a machine
- `checks`            record a check; a value out of limits raises a quality andon call
- `scrap`             record scrap (and take it back); it feeds the reject counts
- `scrap_moments`     when the parts were made: the form's choices, moments and periods in site time
- `yields`, `spc`     FPY by machine and line over a window; a characteristic's control chart over a window
- `overview`          the quality page's period: checks, scrap, FPY
- `demo_data`         the demo plant's checks and scrap

Scrap and rejects — a scrap entry is about parts already made, and no part is counted twice:

1. Booked where counted. The entry's units are booked at the moment the machine counted them: the latest count
   increment of that machine with good > 0 (not itself a scrap move) at or before the entry's "made by" moment
   (now by default; the page offers "latest production" or a recent shift or day). Its period is the shift
   holding that moment; outside every shift, or with no shift calendar, the part of the local day between the
   shifts around it. Nothing counted in the last 31 days before "made by" -> refused ("BAG1 has counted no good
   units before 06:05 to scrap").
2. Classify first. In that period the entry first CLASSIFIES rejects the machine itself counted (rejects stored
   by the PLC, API, sync or simulator, not scrap moves) that no earlier entry (not taken back) classified. Those
   are already in the reject count: the entry only says which defect they had and writes no count.
3. Move the surplus. Any surplus is MOVED from good to reject with one count increment of good = -q, reject = +q,
   source "scrap", at the booking moment. Units made stay the same, so performance does not change; good falls
   and reject rises by q, so quality, OEE, the reject cost and every roll-up of that period follow.
4. Never below zero. An entry may scrap at most the unclassified machine rejects plus the good units counted in
   the period less the units scrap already moved out of it; more is refused with that limit. The check and the
   insert run with the machine's row locked (SELECT ... FOR UPDATE; on SQLite the database's write lock), so two
   entries at once are booked one after the other.
5. The entry keeps `classified` and `moved` (the page says "12 classified (already counted by BAG1), 38 moved
   from good to reject"). Taking it back deletes its move, asks the roll-ups to recompute from its time and
   frees its classification; the entry stays, marked void. The rule needs no configuration.

A job's own "scrap" quantity, typed when the operator completes it, is a figure of the job report and
does not touch the counts.
"""
