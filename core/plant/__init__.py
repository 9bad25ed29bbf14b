"""The plant: its configuration file (TOML), how it is stored, and how it is read back."""
