"""Background jobs: APScheduler job specs and the single scheduler process (`floorboard jobs`)."""
