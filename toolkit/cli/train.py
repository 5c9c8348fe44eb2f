"""`toolkit train`."""
