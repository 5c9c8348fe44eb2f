"""`toolkit studio`."""
