"""Services of the clues app."""
