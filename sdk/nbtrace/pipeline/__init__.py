"""Between capture and delivery: the batching worker, preparing events (safe serialization), assembling records."""
