"""Tests of the report Customer Analytics."""
