"""What a person sees of a refused form: the field marked red and the message under it."""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import escape


def field_error(response: Any, name: str) -> str:
    """The one error of field ``name`` on the page answered with 200: its widget carries
    Bootstrap's ``is-invalid`` and the message is written under it. Returns the message."""
    assert response.status_code == 200
    html = response.content.decode()
    widget = re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{name}"[^>]*>', html)
    assert widget is not None, f"no widget named {name}"
    classes = re.search(r'\bclass="([^"]*)"', widget.group(0))
    assert classes is not None, widget.group(0)
    assert "is-invalid" in classes.group(1).split(), widget.group(0)
    (message,) = response.context["form"].errors[name]
    assert f'<div class="invalid-feedback d-block">{escape(message)}</div>' in html
    return message
