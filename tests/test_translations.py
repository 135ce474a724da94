"""zh-hans is the default UI language: every message id must have a Chinese translation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import polib
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_otp.forms import OTPAuthenticationFormMixin

from tests.factories import InspectorFactory

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
        # A database is named so that no embedded server is started: makemessages reads none.
        env={
            "DEBUG": "true",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(tmp_path),
            "DATABASE_URL": "postgres://makemessages@127.0.0.1/unused",
        },
    )
    extracted = {e.msgid for e in polib.pofile(str(tmp_path / PO.relative_to(ROOT)))}
    assert extracted - {e.msgid for e in polib.pofile(str(PO))} == set()


# --- Chinese typography ------------------------------------------------------------------------
CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# What may keep half-width punctuation beside Chinese: placeholders, addresses and times.
EXEMPT = re.compile(r"%\(\w+\)[sdrf]|%[sdrf]|\{\w*\}|https?://\S+|\b\d{1,2}:\d{2}\b")
HALF_WIDTH = re.compile(rf"[{CJK}]\s*[:()\[\],;?!\"]|[:()\[\],;?!\"]\s*[{CJK}]")
# Placeholders that stand for the name of a person, unit, team or organization.
NAMES = "name|person|unit|user|team|org|round|source|inspected|home|relative|where|plan"
SPACED_NAME = re.compile(rf"[{CJK}]\s+%\(({NAMES})\)s|%\(({NAMES})\)s\s+[{CJK}]")


def _chinese() -> list[tuple[str, str]]:
    """(msgid, translation) of every translated entry, each plural form on its own."""
    po = polib.pofile(str(PO))
    return [
        (entry.msgid, text)
        for entry in po.translated_entries()
        for text in ([entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values())
    ]


def _half_width(text: str) -> bool:
    return bool(HALF_WIDTH.search(EXEMPT.sub("x", text)))


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("用户名:", True),
        ("确保该值为 (现在为 5)。", True),
        ("是,否", True),
        ("为什么?", True),
        ("已停用；请先启用。", False),
        ("未知角色：%(role)s", False),
        ("第%(row)d行（%(name)s）", False),
        ("请于 09:30 前到达。", False),
        ("详见 https://example.cn/a,b?c=1", False),
    ],
)
def test_the_punctuation_rule_tells_half_width_from_allowed(text, wrong):
    assert _half_width(text) is wrong


def test_chinese_translations_use_full_width_punctuation():
    assert [(msgid, text) for msgid, text in _chinese() if _half_width(text)] == []


def test_chinese_translations_put_no_space_around_a_name():
    assert [(msgid, text) for msgid, text in _chinese() if SPACED_NAME.search(text)] == []


def test_chinese_translations_use_no_django_jargon():
    jargon = ("变量", "字段", "名字")
    assert [(m, t) for m, t in _chinese() if any(word in t for word in jargon)] == []


# --- Django's and django-otp's messages, translated by us (xuncha/library_messages.py) ---------
SITE_PACKAGES = Path(django.__file__).resolve().parent.parent
DJANGO_CATALOGUES = [
    SITE_PACKAGES / "django/conf/locale/en/LC_MESSAGES/django.po",
    SITE_PACKAGES / "django/contrib/auth/locale/en/LC_MESSAGES/django.po",
]
DJANGO_OTP = SITE_PACKAGES / "django_otp"  # no English catalogue: its messages are in its code


def test_every_library_message_we_translate_is_the_librarys_own():
    catalogued = {
        (e.msgid, e.msgid_plural) for path in DJANGO_CATALOGUES for e in polib.pofile(path)
    }
    otp_code = "".join(
        path.read_text()
        for pattern in ("*.py", "templates/**/*.html")
        for path in DJANGO_OTP.glob(pattern)
    )
    ours = [
        (e.msgid, e.msgid_plural)
        for e in polib.pofile(str(PO))
        if any(path == "xuncha/library_messages.py" for path, _line in e.occurrences)
    ]
    foreign = [
        message
        for message in ours
        if message not in catalogued and not all(text in otp_code for text in message if text)
    ]
    assert len(ours) > 50
    assert foreign == []


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        (forms.CharField(), "", "此项为必填项。"),
        (forms.CharField(max_length=3), "四个汉字", "最多3个字符（现有4个）。"),
        (forms.IntegerField(max_value=9), "10", "不能大于9。"),
        (forms.DateField(), "昨天", "请输入有效的日期。"),
        (forms.ChoiceField(choices=[("a", "A")]), "b", "请重新选择：b不在可选范围内。"),
    ],
)
def test_django_form_errors_read_as_our_users_say_them(field, value, error):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        field.clean(value)

    assert refused.value.messages == [error]


def test_django_otp_messages_are_in_chinese():
    messages = dict(OTPAuthenticationFormMixin.otp_error_messages)
    with translation.override("zh-hans"):
        texts = [str(messages.pop("n_failed_attempts") % {"failure_count": 2})]
        texts += [str(text) for text in messages.values()]

    assert [text for text in texts if not re.search(f"[{CJK}]", text)] == []


def test_the_pool_names_a_person_by_full_name(login, office_user, org):
    InspectorFactory(organization=org)
    client = login(office_user)

    pool = client.get(reverse("rounds:inspector_list")).content.decode()
    form = client.get(reverse("rounds:inspector_create")).content.decode()

    assert "<th>姓名</th>" in pool
    assert 'for="id_name">姓名</label>' in form
