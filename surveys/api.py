"""The surveys app's API resources: ``ROUTES`` (see ``xuncha.api_urls``)."""

ROUTES: list = []
