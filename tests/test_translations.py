"""zh-hans is the default UI language: every message id must have a Chinese translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# Every app package, the templates and manage.py: what makemessages reads.
SOURCES = sorted(
    {path.parent.name for path in ROOT.glob("*/apps.py")} | {"xuncha", "templates", "manage.py"}
)


def test_every_message_is_translated():
    po = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    untranslated += [e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(PO))
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    assert {(e.msgid, e.msgstr) for e in mo} == {
        (e.msgid, e.msgstr) for e in po.translated_entries()
    }


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is installed by `make test`")
def test_no_message_in_the_code_is_missing_from_the_catalogue(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
    )
    extracted = {e.msgid for e in polib.pofile(str(tmp_path / PO.relative_to(ROOT)))}
    assert extracted - {e.msgid for e in polib.pofile(str(PO))} == set()
