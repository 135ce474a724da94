"""``DomainError`` lives in the tenancy kernel (so its view bases need no domain app); this
name is kept so that services import it from their own side of the dependency line."""

from xuncha.tenancy.errors import DomainError

__all__ = ["DomainError"]
