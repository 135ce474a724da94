"""Services of the interviews app."""
