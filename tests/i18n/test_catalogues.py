"""The catalogues are complete and safe: what a Spanish or French reader would otherwise
meet is English in the middle of their page, or a page that fails to render."""

from __future__ import annotations

import re
import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.i18n.visible_text import ROOT, problems

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def _texts(entry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    untranslated += [e.msgid for e in po if e.msgid_plural and not all(_texts(e))]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_markup_are_the_same_in_every_language(language):
    wrong = []
    for entry in catalogue(language).translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        plural = sorted(PLACEHOLDER.findall(entry.msgid_plural or ""))
        tags = sorted(TAG.findall(entry.msgid))
        for text in _texts(entry):
            got = sorted(PLACEHOLDER.findall(text))
            # A plural's "one" form may leave out the count ("Una plaza libre").
            ok = got == wanted or (entry.msgid_plural and set(got) <= set(wanted + plural))
            if not ok or sorted(TAG.findall(text)) != tags:
                wrong.append((entry.msgid, text))
    assert not wrong, f"{len(wrong)} entries differ, e.g. {wrong[:3]}"


def test_every_catalogue_compiles_with_the_same_formats():
    """A wrong placeholder is a KeyError at render time: Python's own formatting is the judge."""
    for language in TRANSLATED:
        for entry in catalogue(language).translated_entries():
            if "python-format" not in entry.flags:
                continue
            names = set(re.findall(r"%\((\w+)\)", entry.msgid + (entry.msgid_plural or "")))
            values = dict.fromkeys(names, 1)
            for text in _texts(entry):
                try:
                    text % (values if names else ())
                except (KeyError, TypeError, ValueError) as error:
                    pytest.fail(f"{language}: {entry.msgid!r} -> {text!r}: {error}")


def test_no_template_or_message_shows_text_outside_translation():
    found = problems()
    listed = [
        f"{path}:{line}: {text[:60]!r}" for path, items in found.items() for line, text in items
    ]
    assert not listed, "Text a person sees without translation:\n" + "\n".join(listed[:30])


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_the_catalogues_hold_every_string_marked_in_code_and_templates(tmp_path, monkeypatch):
    """A string marked but missing from the catalogues is shown in English: `make messages`
    was not run after it was added. Extracts afresh into a scratch tree and compares.

    makemessages writes to the `locale` folder beside the sources it walks, so it walks a
    tree of links to our sources whose `locale` is an empty scratch catalogue: the real
    catalogues are never touched, and what it writes is only what it extracted."""
    tree = tmp_path / "tree"
    tree.mkdir()
    skipped = {".git", ".venv", ".local", "locale", "tests", "bench", "devdata", "staticfiles"}
    for entry in ROOT.iterdir():
        if entry.name not in skipped:
            (tree / entry.name).symlink_to(entry)
    for language in TRANSLATED:
        (tree / "locale" / language / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [tree / "locale"])
    monkeypatch.chdir(tree)
    call_command(
        "makemessages",
        locale=TRANSLATED,
        extensions=["html", "txt", "py"],
        ignore_patterns=[".venv", "tests", "bench", "devdata", "staticfiles", ".local"],
        symlinks=True,
        no_obsolete=True,
        verbosity=0,
    )
    for language in TRANSLATED:
        fresh = polib.pofile(str(tree / "locale" / language / "LC_MESSAGES" / "django.po"))
        # It did extract: the site's strings, not an empty file (which would hide a miss).
        assert len(fresh) > 1000, f"{language}: makemessages extracted only {len(fresh)}"
        ours = {(e.msgctxt, e.msgid) for e in catalogue(language) if not e.obsolete}
        missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in ours]
        assert not missing, f"{language}: run `make messages`; missing e.g. {missing[:5]}"
