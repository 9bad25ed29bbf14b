"""Maintenance: corrective work orders made in one tap from a stop or an andon call, preventive orders made by a
job when a plan falls due (calendar, run hours or cycles from the machine's own data), the open -> in_progress
-> done lifecycle with tasks, time spent and parts, overdue preventive work, and MTTR from work orders.

Pure rules: order_rules (the lifecycle), preventive_rules (when a plan falls due). Use cases: corrective_orders,
order_moves, order_views, preventive_orders, plan_store, repair_times.
"""
