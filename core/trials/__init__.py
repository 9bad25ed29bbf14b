"""Line trials (experiments): a plan with parameters and an expected outcome, run on one line
(planned -> in_progress -> completed | cancelled), and its OEE compared with the line's recent baseline."""
