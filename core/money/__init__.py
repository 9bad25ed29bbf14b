"""Money: what the OEE engine's losses cost, priced from the plant's configured rates (never typed in).

pricing.py    pure rules: lost time x cost_per_hour, rejects x the unit cost of what was being made
stretches.py  each machine's time cut at product changes (and at the periods asked for), with its unit cost
money_lost.py the use case: a scope's losses priced by line, machine, category and local day
today.py      the managers' home: OEE and money lost so far today
"""
