"""Services of the surveys app."""
