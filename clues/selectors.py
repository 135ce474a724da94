"""Selectors of the clues app."""
