"""Where Floorboard's data is stored: engines, tables, migrations."""
