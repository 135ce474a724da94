"""Load the demo data of every app (idempotent) and print the demo credentials."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import translation

from accounts.demo import DEMO_PASSWORD, seed_accounts
from clues.demo import seed_petitions
from documents.demo import seed_documents
from history.context import RecordedCommand
from interviews.demo import seed_interviews
from rounds.demo import seed_rounds
from surveys.demo import seed_surveys


class Command(RecordedCommand):
    help = "Load demo organizations, units, users and inspection work (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="The address the demo is served at (`make demo` passes its HOST and PORT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic(), translation.override("zh-hans"):
            rows = seed_accounts()
            seed_rounds()
            # The on-site work of 成都's inspection: surveys, interviews and checklists,
            # document requests answered by the liaison, petitions.
            seed_surveys()
            seed_interviews()
            seed_documents()
            seed_petitions()
            self._print(rows, url=options["url"])

    def _print(self, rows: list[tuple[str, str, str, str]], *, url: str) -> None:
        widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
        self.stdout.write("Demo accounts:")
        for row in rows:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
        self.stdout.write(
            f"Xuncha demo: {url} — sign in as sc_office (巡察办) or any account above, "
            f"password {DEMO_PASSWORD}"
        )
