"""Figures of the loyalty program kept up to date by PostgreSQL."""

from . import tier_totals
