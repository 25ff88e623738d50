"""Page benchmarks of Legami (not part of `make test`): see run.py and docs/performance.md."""
