"""Journal items need nothing of their own for the customer figures: the
indexes the figures read them from are made by ``figures.storage``."""
