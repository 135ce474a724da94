"""Routes of the clues app."""

app_name = "clues"

urlpatterns: list = []
