"""Lan Tỏa: run, measure and report a commune's Resolution 57 communication plan."""
