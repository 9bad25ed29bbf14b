"""Talking to machines: the driver interface, the simulated plant, and turning tag values into timelines."""
