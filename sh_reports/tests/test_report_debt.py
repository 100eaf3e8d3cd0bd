"""Tests of the report Debt."""
