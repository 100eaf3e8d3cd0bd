"""Figures of the loyalty program kept up to date by PostgreSQL."""

from . import plans
from . import point_totals
from . import tier_totals
