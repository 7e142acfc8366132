"""Benchmarks: scripts run as files (`python bench/NAME.py`); bench.generator is the load-test
data generator behind `portal generate`, kept here and out of the portal's wheel."""
