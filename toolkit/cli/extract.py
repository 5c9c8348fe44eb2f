"""`toolkit extract`."""
