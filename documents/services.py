"""Services of the documents app."""
