"""OEE: time accounting of machine timelines against the shift calendar, and the figures built on it."""
