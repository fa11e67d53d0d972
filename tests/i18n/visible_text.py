"""Find text a person would see that does not go through Django's translation machinery.

Templates: every text node and every attribute a person reads or hears (alt, title,
placeholder, aria-label, a button's value...) outside `{% translate %}` and
`{% blocktranslate %}`, and literal arguments like `with label="Save"` or
`|default:"None yet"` that should be `_("...")`. Python: string literals given to
messages, ValidationError, form fields' labels and help texts, verbose names and choice
labels without `gettext`.

Run it on a part of the tree while marking strings:

    .venv/bin/python -m tests.i18n.visible_text templates/space space
"""

from __future__ import annotations

import ast
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]

# Words that are the same in every language we ship: the product's name, units, codes.
NOT_TEXT = re.compile(
    r"^(peersupport|OK|PDF|CSV|ICS|iCal|URL|MFA|TOTP|QR|Meeting Guide|JSON|API|"
    r"SMS|HTML|RSS|UTC|GMT|Zoom|Jitsi|Google Meet|Teams|WebAuthn)$"
)
# A run of letters that makes a word (two or more letters, in any script we ship).
WORD = re.compile(r"[^\W\d_]{2,}")
# Attributes whose values are read or heard by a person.
SPOKEN_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
    "content",
}
# `data-*` attributes that our scripts show to a person (status lines and the like).
SPOKEN_DATA = re.compile(r"^data-[\w-]*(text|label|message|status|title)$")
# Literal string arguments in tags and filters: a capitalised word, or a filter that
# turns its argument into words.
LITERAL = re.compile(r"""(?P<key>[\w.]+)\s*=\s*(?P<q>["'])(?P<value>[^"']*)(?P=q)""")
FILTER_LITERAL = re.compile(r"""\|(?P<filter>\w+):(?P<q>["'])(?P<value>[^"']*)(?P=q)""")
CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}")
TEXT_FILTERS = {"default", "default_if_none", "yesno", "pluralize"}
# Tags whose first arguments are names, not text.
NAME_TAGS = {"url", "include", "extends", "static", "load", "block", "endblock", "now", "cycle"}
IDENTIFIER = re.compile(r"^[a-z0-9_\-\uf8ff]+$")
SUBMIT = ("submit", "button", "reset")
MARK = "\uf8ff"  # stands in for a template tag or variable while HTML is parsed


def _visible_html(source: str) -> list[tuple[int, str]]:
    """(line, text) of every piece of visible text in HTML with template tags removed."""

    found: list[tuple[int, str]] = []

    class Parser(HTMLParser):
        skipping = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.skipping += 1
            if tag == "meta":
                attrs = [(k, v) for k, v in attrs if dict(attrs).get("name") == "description"]
            for key, value in attrs:
                if value and key in SPOKEN_ATTRIBUTES:
                    found.append((self.getpos()[0], value))
                if value and SPOKEN_DATA.match(key) and not IDENTIFIER.match(value):
                    found.append((self.getpos()[0], value))
                if key == "value" and tag == "input" and dict(attrs).get("type") in SUBMIT:
                    found.append((self.getpos()[0], value or ""))

        def handle_endtag(self, tag):
            if tag in ("script", "style") and self.skipping:
                self.skipping -= 1

        def handle_data(self, data):
            if not self.skipping:
                found.append((self.getpos()[0], data))

    parser = Parser(convert_charrefs=True)
    parser.feed(source)
    parser.close()
    return found


def _is_text(value: str) -> bool:
    value = value.replace(MARK, " ").strip()
    # HTML cut by a tag in the middle of an element (`<{% if %}a{% endif %} href=...`),
    # or markup shown as code to copy: not prose.
    if not value or NOT_TEXT.match(value) or '="' in value or value.startswith("<"):
        return False
    value = re.sub(r"\S*/\S*", " ", value)  # paths and addresses are not words
    words = [w for w in WORD.findall(value) if not NOT_TEXT.match(w)]
    return bool(words)


def template_problems(path: Path) -> list[tuple[int, str]]:
    """(line, text) of visible text in one template that is not marked for translation."""
    source = path.read_text(encoding="utf-8")
    problems: list[tuple[int, str]] = []
    kept: list[str] = []  # the template with tags and translated blocks replaced by MARK
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        contents = token.contents
        if skip_until:
            if token.token_type == TokenType.BLOCK and contents.split()[:1] == [skip_until]:
                skip_until = None
            kept.append(MARK)
            continue
        if token.token_type == TokenType.TEXT:
            kept.append(token.contents)
            continue
        kept.append(MARK)
        if token.token_type == TokenType.COMMENT:
            continue
        if token.token_type == TokenType.BLOCK:
            name = contents.split()[0] if contents.split() else ""
            if name in ("blocktranslate", "blocktrans"):
                skip_until = "endblock" + name[5:]
                continue
            if name == "comment":
                skip_until = "endcomment"
                continue
            if name in ("translate", "trans"):
                continue
            for match in LITERAL.finditer(contents):
                if CAPITALISED.search(match["value"]) and _is_text(match["value"]):
                    problems.append((token.lineno, f"{match['key']}={match['value']!r}"))
            if name not in NAME_TAGS:
                _filter_literals(contents, token.lineno, problems)
        elif token.token_type == TokenType.VAR:
            _filter_literals(contents, token.lineno, problems)
    joined = "".join(kept)
    if path.suffix == ".html":
        pieces = _visible_html(joined)
    else:  # plain-text emails and subjects: every line is read
        pieces = [(n, line) for n, line in enumerate(joined.splitlines(), 1)]
    problems.extend((line, text.strip()) for line, text in pieces if _is_text(text))
    return problems


def _filter_literals(contents, lineno, problems):
    for match in FILTER_LITERAL.finditer(contents):
        if match["filter"] in TEXT_FILTERS and _is_text(match["value"]):
            problems.append((lineno, f"|{match['filter']}:{match['value']!r}"))


# --- Python -----------------------------------------------------------------------------

TEXT_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "empty_value_display",
    "title",
    "summary",
    "message",
    "description",
}
MESSAGE_FUNCTIONS = {"success", "error", "info", "warning", "debug", "add_message"}


def _literal_text(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _is_text(node.value) else None
    if isinstance(node, ast.JoinedStr):  # an f-string shown to a person cannot be translated
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        text = "".join(str(p) for p in parts)
        return text if _is_text(text) else None
    return None


def python_problems(path: Path) -> list[tuple[int, str]]:
    """(line, text) of literals that reach a person without gettext in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems: list[tuple[int, str]] = []

    def flag(node):
        text = _literal_text(node)
        if text is not None:
            problems.append((node.lineno, text))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = func.value if isinstance(func, ast.Attribute) else None
            owner_name = getattr(owner, "id", getattr(owner, "attr", ""))
            if name in MESSAGE_FUNCTIONS and owner_name == "messages":
                for arg in node.args[1:2]:
                    flag(arg)
            if name in ("ValidationError", "DomainError", "PermissionDenied", "Http404"):
                for arg in node.args[:1]:
                    flag(arg)
            if name == "add_error":
                for arg in node.args[1:2]:
                    flag(arg)
            for keyword in node.keywords:
                if keyword.arg in TEXT_KEYWORDS:
                    flag(keyword.value)
                if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                    for value in keyword.value.values:
                        flag(value)
        # TextChoices / IntegerChoices members: NAME = "value", "Label"
        if isinstance(node, ast.ClassDef) and any(
            getattr(base, "attr", getattr(base, "id", "")).endswith("Choices")
            for base in node.bases
        ):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Tuple):
                    for element in statement.value.elts[1:]:
                        is_text = isinstance(element, ast.Constant) and isinstance(
                            element.value, str
                        )
                        if is_text and _is_text(element.value):
                            problems.append((element.lineno, element.value))
    return problems


# --- The tree ---------------------------------------------------------------------------

APPS = ("peersupport", "members", "groups", "sessions", "finders", "feedback", "space")
SKIP_PYTHON = re.compile(r"(/migrations/|/management/commands/|/tests?/|/demo\w*\.py$|/admin\.py$)")


def template_files(roots=None):
    roots = roots or [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    for root in roots:
        root = Path(root)
        if root.is_file():
            yield root
        elif root.is_dir():
            yield from sorted(p for p in root.rglob("*") if p.suffix in (".html", ".txt"))


def python_files(roots=None):
    roots = roots or [ROOT / app for app in APPS]
    for root in roots:
        root = Path(root)
        paths = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in paths:
            if path.suffix == ".py" and not SKIP_PYTHON.search(str(path)):
                yield path


def problems(roots=None) -> dict[str, list[tuple[int, str]]]:
    found = {}
    for path in template_files(roots):
        if items := template_problems(path):
            found[str(path.relative_to(ROOT))] = items
    for path in python_files(roots):
        if items := python_problems(path):
            found[str(path.relative_to(ROOT))] = items
    return found


if __name__ == "__main__":  # pragma: no cover - a tool for people marking strings
    paths = [ROOT / arg for arg in sys.argv[1:]] or None
    total = 0
    for name, items in problems(paths).items():
        for line, text in items:
            print(f"{name}:{line}: {text[:100]!r}")
            total += 1
    print(f"{total} unmarked", file=sys.stderr)
    sys.exit(1 if total else 0)
