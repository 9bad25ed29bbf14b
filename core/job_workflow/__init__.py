"""The job workflow: work orders, operators' jobs on machines and their lifecycle, and the product and
changeover a started job brings to its machine."""
