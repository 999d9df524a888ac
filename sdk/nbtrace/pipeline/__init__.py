"""Between capture and delivery: safe serialization, record building, the batching worker."""
