"""Routes of the interviews app."""

app_name = "interviews"

urlpatterns: list = []
