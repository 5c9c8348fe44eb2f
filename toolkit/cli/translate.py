"""`toolkit translate`."""
