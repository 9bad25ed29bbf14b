"""Production reports: content as plain data (shift, daily, weekly, downtime), rendered as PDF, Excel or CSV."""
