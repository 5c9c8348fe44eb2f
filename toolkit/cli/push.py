"""`toolkit push`."""
