"""`toolkit pull`."""
