"""Tests of the report Customer Lifetime Value."""
