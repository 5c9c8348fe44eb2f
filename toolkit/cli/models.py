"""`toolkit models`."""
