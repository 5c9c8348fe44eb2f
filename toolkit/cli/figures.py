"""`toolkit figures`."""
