"""Side-by-side benchmarks of ember and torch; run ``python -m benchmarks``."""
