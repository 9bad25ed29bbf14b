"""Floorboard's domain: rules, use cases and persistence. Imports nothing from Dash or Flask."""
