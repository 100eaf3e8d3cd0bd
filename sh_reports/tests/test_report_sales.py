"""Tests of the report Sales by Customer."""
