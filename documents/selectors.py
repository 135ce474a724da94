"""Selectors of the documents app."""
