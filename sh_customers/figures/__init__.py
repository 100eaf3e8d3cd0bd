"""The customers' figures engine, plain Python used by the models: the
business rules written once (rules), the period vocabulary (periods), the
set-based SQL statements (statements), the refresh that runs them and
writes the results (refresh) and the database storage they need (storage)."""
