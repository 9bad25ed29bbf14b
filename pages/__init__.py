"""Dash pages, one per screen: `dash.register_page(..., permission=..., area=...)` and a layout, nothing else."""
