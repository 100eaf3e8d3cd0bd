"""The reports' computations that are not a model's: the predicted CLV's
statistical models (``clv``, plain numpy and scipy) and the purchase-day
summary they are fitted on (``summary``, one SQL statement)."""
