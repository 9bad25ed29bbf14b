"""Pre-start checklists: templates from the plant file, the pure rules (is one due, does an answer pass),
completions by operators on the tablet, what blocks a job start, and compliance for managers.

- `rules`        pure: item answers, grading, whether a checklist is due now
- `signature`    pure: the drawn signature (a small PNG data URL) and its size limit
- `templates`    the stored templates and which machines they cover
- `completions`  use cases: complete a checklist (audited; a failed critical item raises an andon call),
                 `pending_checklists` for the jobs workflow, the runner's list of checklists of a machine
- `compliance`   required vs completed vs passed, by line and shift
"""
