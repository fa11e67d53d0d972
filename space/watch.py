"""Watched words: does a post use language the organisation asked facilitators to notice?

A match never blocks a post. It shows the author crisis resources and gives the group's
facilitators an urgent follow-up (see `space.services.posts`). Matching ignores capitals,
accents, spacing and punctuation, and respects word boundaries: "Suicidal", "suïcidal" and
"SUICIDAL!!" match "suicidal"; "kill   myself" and "kill-myself" match "kill myself";
"skill myself" does not.
"""

from __future__ import annotations

import re
import unicodedata

# A sensible start for self-harm and suicide language in the languages the site speaks
# (members write in their own, whatever the page's language); each organisation edits its
# own copy. Phrases are matched whole, after normalising (see `normalise`).
DEFAULT_WATCHED_PHRASES = (
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "ending my life",
    "take my own life",
    "want to die",
    "wanna die",
    "better off dead",
    "better off without me",
    "no reason to live",
    "can't go on",
    "don't want to be here anymore",
    "self harm",
    "self-harm",
    "hurt myself",
    "hurting myself",
    "cut myself",
    "cutting myself",
    "overdose",
    "not safe with myself",
    # Spanish
    "suicidio",
    "suicidarme",
    "matarme",
    "quitarme la vida",
    "acabar con mi vida",
    "quiero morir",
    "quiero morirme",
    "no quiero vivir",
    "no quiero seguir viviendo",
    "estarían mejor sin mí",
    "mejor muerto",
    "mejor muerta",
    "no puedo más",
    "autolesión",
    "hacerme daño",
    "cortarme",
    "sobredosis",
    "no estoy a salvo conmigo",
    # French
    "suicidaire",
    "me suicider",
    "me tuer",
    "mettre fin à mes jours",
    "en finir avec la vie",
    "envie de mourir",
    "je veux mourir",
    "plus envie de vivre",
    "mieux sans moi",
    "plus de raison de vivre",
    "je n'en peux plus",
    "automutilation",
    "me faire du mal",
    "me scarifier",
    "surdose",
)

_NOT_A_LETTER = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """Casefold, strip accents, turn every run of spaces and punctuation into one space."""
    # Decompose before and after casefolding: compatibility forms (styled letters, ligatures) become
    # plain letters first, and casefolding may produce letters that decompose again.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_A_LETTER.sub(" ", bare).strip()


def phrases_from(text: str) -> list[str]:
    """The normalised, non-empty phrases of a list written one per line, without repeats."""
    seen: dict[str, None] = {}
    for line in text.splitlines():
        phrase = normalise(line)
        if phrase:
            seen.setdefault(phrase, None)
    return list(seen)


def default_phrases_text() -> str:
    return "\n".join(DEFAULT_WATCHED_PHRASES)


def watched_matches(text: str, phrases: list[str]) -> list[str]:
    """The phrases (already normalised) that `text` contains as whole words."""
    padded = f" {normalise(text)} "
    return [phrase for phrase in phrases if f" {phrase} " in padded]
