"""Selectors of the interviews app."""
