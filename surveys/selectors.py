"""Selectors of the surveys app."""
