"""Where runs are sent: the trace widget under each cell, over its Jupyter comm."""
