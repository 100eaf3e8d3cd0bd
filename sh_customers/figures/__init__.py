"""The customers' figures engine, plain Python used by the models: the
business rules written once (rules), the period vocabulary (periods), the
set-based SQL statements of the figures (statements) and of their sales and
receivable history (history), the receivable accounts and journals they read
(receivable), the refresh that runs them and writes the results (refresh),
the database storage they need (storage), the companies' totals PostgreSQL
keeps up to date (totals) and the dashboard's statement (dashboard*)."""

from . import storage
from . import totals
from . import refresh
from . import dashboard_counts
