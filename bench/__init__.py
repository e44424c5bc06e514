"""The benchmark behind `make bench`: national-scale synthetic data, page, PDF and load
measurements, and the report in docs/benchmarks.md (see docs/benchmarks.md and README)."""
