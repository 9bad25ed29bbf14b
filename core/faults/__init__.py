"""Fault analysis for engineers: each machine's state timeline with its faults, the fault Pareto, MTBF and MTTR
per machine and per fault code, repeat faults, and the stops that make up a loss (the drill-down).

Pure rules: `reliability` (MTBF/MTTR, shared with the downtime report), `timeline` (segments of one state),
`counted_stops` (which loss a stop belongs to and how much of it counts), `pareto`, `repeats`.
Reading the store: `timeline_store`. Use cases: `analysis` (the faults page), `loss_stops` (the stops list).
"""
