"""The interviews app's API resources: ``ROUTES`` (see ``xuncha.api_urls``)."""

ROUTES: list = []
