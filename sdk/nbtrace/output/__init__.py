"""What a cell's output keeps of its traces: a bounded snapshot, static HTML, a text summary."""
