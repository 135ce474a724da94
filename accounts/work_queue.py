"""The home page's work queue: what is waiting for the member, role by role.

Each app registers the sections it knows (``register_section``, from its AppConfig.ready), so
the home page shows the work of rounds (and later of rectification and clues) without
accounts importing them. A section belongs to one role and says what its rows are (an ordered
queryset of what the member may act on, or ``None`` when the section is not for them), how a
row becomes an entry (what waits and the place where it is done), and what an empty queue
says and suggests.

The home page reads the first ``HOME_LIMIT`` rows of every section of every role the member
holds, each with the section's total, in one statement (``xuncha.lists.fetch_lists``): its cost
does not grow with the data. A longer section links to its full list (``section_page``).

A role for which no app registers a section yet (its work is not built) shows what will reach
the member there (``ROLE_WAITING``); once an app registers one, the section takes its place.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Value, Window
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, MembershipRole
from accounts.roles import MANAGE_MEMBERS, VIEW_OWN_UNITS, Role
from accounts.rows import pk_url
from xuncha.lists import KeptStatements, Statement, compile_lists, run_lists

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

HOME_LIMIT = 5  # entries per section on the home page; the rest on the section's own page
PAGE_SIZE = 25


@dataclass(frozen=True)
class Step:
    """One thing to do, and where it is done (``url``; empty: nowhere to go)."""

    text: StrOrPromise
    url: str = ""


@dataclass(frozen=True)
class Entry:
    """One waiting thing: ``title`` links to where it is done; ``context`` says what it belongs
    to; ``badge`` (coloured ``tone``: a Bootstrap colour) its state; ``steps`` what it waits on."""

    title: str
    url: str
    context: str = ""
    badge: str = ""
    tone: str = "secondary"
    steps: tuple[Step, ...] = ()


Rows = Callable[[Membership], "QuerySet[Any] | None"]
Entries = Callable[[Membership, list[Any]], list[Entry]]


def _no_next_step(membership: Membership) -> Step | None:
    return None


def _no_token() -> Hashable:
    return None


@dataclass(frozen=True)
class Section:
    """``rows``: the ordered rows of the member (model rows with annotations only, no
    ``select_related``: they are read in the home page's one statement), or ``None`` when the
    section is not for them. ``entries`` turns rows into entries without further queries.
    ``empty``: what an empty queue says after "Nothing waiting."; ``next_step``: what to do.
    ``cache_token``: changes when something else than the member and the day changes what
    ``rows`` builds (a registry it reads), for the home page's kept statement."""

    key: str
    role: str
    title: StrOrPromise
    empty: StrOrPromise
    rows: Rows
    entries: Entries
    next_step: Callable[[Membership], Step | None] = _no_next_step
    cache_token: Callable[[], Hashable] = _no_token


_SECTIONS: list[Section] = []

# What will reach the holders of a role whose work is not built yet.
ROLE_WAITING: dict[str, StrOrPromise] = {
    Role.LIAISON: _(
        "The feedback on your unit, its problem list and the rectification items you report on "
        "will reach you here once rectification is run in Xuncha. Until then the inspection "
        "office sends them to you directly."
    ),
    Role.DEPT_REVIEWER: _(
        "Rectification items routed to your department for review will reach you here once "
        "rectification is run in Xuncha."
    ),
    Role.CLUE_HANDLER: _(
        "Problem clues transferred by the inspection teams will reach you here, for you to "
        "record their disposition, once the clue ledger is run in Xuncha."
    ),
}


def register_section(section: Section) -> None:
    """Add ``section`` to the queue of its role; a key registered again replaces the section."""
    _SECTIONS[:] = [known for known in _SECTIONS if known.key != section.key]
    _SECTIONS.append(section)


@dataclass
class SectionView:
    section: Section
    entries: list[Entry]
    total: int
    more_url: str = ""
    next_step: Step | None = None

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def anchor(self) -> str:
        """The section's id on the page: ``queue-rounds-waiting`` for ``rounds.waiting``."""
        return "queue-" + self.key.replace(".", "-").replace("_", "-")

    @property
    def title(self) -> StrOrPromise:
        return self.section.title

    @property
    def empty(self) -> StrOrPromise:
        return self.section.empty


@dataclass
class RoleQueue:
    role: str
    sections: list[SectionView] = field(default_factory=list)
    waiting: StrOrPromise = ""  # for a role without sections: what will reach it here
    links: list[Step] = field(default_factory=list)

    @property
    def label(self) -> StrOrPromise:
        return Role(self.role).label


def section_url(section: Section) -> str:
    return f"{reverse('accounts:work_queue')}?{urlencode({'section': section.key})}"


def _held_roles(membership: Membership) -> list[str]:
    return [role for role in Role.values if role in membership.roles]


def _role_links(membership: Membership, role: str) -> list[Step]:
    if role == Role.LIAISON and membership.has_perm(VIEW_OWN_UNITS):
        return [Step(_("Your units"), reverse("accounts:unit_tree"))]
    return []


# The home page's compiled statement by what it depends on (``_statement_key``): building and
# compiling a dozen querysets with the gates' subqueries costs several times running them, on
# the page every member opens first. Bounded; per process.
_STATEMENTS: KeptStatements[tuple[Statement, tuple[str, ...]]] = KeptStatements(size=128)


def _statement_key(membership: Membership) -> Hashable:
    """Everything the sections' querysets are built from: the member (organization, account,
    roles), the day, and the registered sections with their own tokens."""
    return (
        membership.organization_id,
        membership.user_id,
        membership.roles,
        timezone.localdate(),
        tuple((section.key, section.cache_token()) for section in _SECTIONS),
    )


def _statement(membership: Membership, roles: list[str]) -> tuple[Statement, tuple[str, ...]]:
    """The statement reading every section of ``roles`` for ``membership`` (first rows and
    total of each), and the keys of the sections it reads."""
    return _STATEMENTS.get(_statement_key(membership), lambda: _build_statement(membership, roles))


def _build_statement(membership: Membership, roles: list[str]) -> tuple[Statement, tuple[str, ...]]:
    heads: dict[str, QuerySet[Any]] = {}
    for section in (known for known in _SECTIONS if known.role in roles):
        rows = section.rows(membership)
        if rows is not None:
            heads[section.key] = rows.annotate(queue_total=Window(Count("*")))[:HOME_LIMIT]
    return compile_lists(**heads), tuple(heads)


def home_queue(membership: Membership) -> list[RoleQueue]:
    """The queue of every role ``membership`` holds, in the order of ``Role``; every section's
    first ``HOME_LIMIT`` rows and total come from one statement."""
    roles = _held_roles(membership)
    statement, keys = _statement(membership, roles)
    lists = run_lists(statement)
    queues = []
    for role in roles:
        queue = RoleQueue(role=role)
        for section in (known for known in _SECTIONS if known.role == role):
            if section.key in keys:
                queue.sections.append(_section_view(membership, section, lists[section.key]))
        if not any(known.role == role for known in _SECTIONS):
            queue.waiting = ROLE_WAITING.get(role, "")
            queue.links = _role_links(membership, role)
        queues.append(queue)
    return queues


def _section_view(membership: Membership, section: Section, found: list[Any]) -> SectionView:
    total = found[0].queue_total if found else 0
    return SectionView(
        section=section,
        entries=section.entries(membership, found),
        total=total,
        more_url=section_url(section) if total > HOME_LIMIT else "",
        next_step=section.next_step(membership),
    )


def section_get(membership: Membership, key: str) -> Section | None:
    """The section ``key`` if it is one of the member's (their role, and for them)."""
    roles = membership.roles
    for section in _SECTIONS:
        if section.key == key and section.role in roles:
            return section
    return None


def section_page(membership: Membership, section: Section, number: Any) -> tuple[Page, list[Entry]]:
    """One page of the full list of ``section`` (a count and a page of rows: two queries)."""
    rows = section.rows(membership)
    if rows is None:
        raise LookupError(section.key)
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    return page, section.entries(membership, list(page.object_list))


# --- accounts' own section: members who cannot do anything yet ----------------------------


def _members_without_role(membership: Membership) -> QuerySet[Membership] | None:
    if not membership.has_perm(MANAGE_MEMBERS):
        return None
    org = membership.organization
    roles = MembershipRole.objects.for_org(org).filter(membership=OuterRef("pk"))
    return (
        Membership.objects.for_org(org)
        .filter(is_active=True)
        .exclude(Exists(roles))
        .annotate(user_name=Coalesce(NullIf(F("user__full_name"), Value("")), F("user__username")))
        .order_by("-created_at", "pk")
    )


def _member_entries(membership: Membership, rows: list[Membership]) -> list[Entry]:
    url = pk_url("accounts:member_edit")
    return [
        Entry(
            title=row.user_name,  # type: ignore[attr-defined]
            url=url(row.pk),
            context=row.title,
            badge=str(_("No role")),
            tone="warning",
        )
        for row in rows
    ]


def _add_member(membership: Membership) -> Step:
    return Step(_("Add a member to the organization"), reverse("accounts:member_create"))


register_section(
    Section(
        key="accounts.members_without_role",
        role=Role.ORG_ADMIN,
        title=_("Members without a role"),
        empty=_("Every active member holds a role."),
        rows=_members_without_role,
        entries=_member_entries,
        next_step=_add_member,
    )
)
