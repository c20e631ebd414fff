"""``contact:`` in site.yaml: the details a contact card shows on every page."""
from __future__ import annotations

from typing import Any, Callable

from .values import url_problem

CONTACT_KEYS = ("address", "dpo", "authority", "authority_url")


def contact_details(value: Any, languages: list[str],
                    fail: Callable[[str, str], Exception]) -> dict[str, dict[str, str]]:
    """Each field one text, or one per language; ``fail(key, message)`` makes the
    error at the key's line."""
    if value is None:
        return {}
    if not isinstance(value, dict) or any(k not in CONTACT_KEYS for k in value):
        raise fail("contact", "`contact` may give " + ", ".join(f"`{k}`" for k in CONTACT_KEYS)
                   + ", each one text or one per language (`nl: ...`)")
    found: dict[str, dict[str, str]] = {}
    for key, text in value.items():
        texts = {lang: text for lang in languages} if isinstance(text, str) else text
        if not isinstance(texts, dict) or not all(
                isinstance(texts.get(lang), str) and texts[lang].strip() for lang in languages):
            raise fail("contact", f"`contact.{key}` needs a text, or one for every language")
        if key == "authority_url" and any(url_problem(u) for u in texts.values()):
            raise fail("contact", "`contact.authority_url` must be an http(s) address")
        found[key] = {lang: " ".join(texts[lang].split()) for lang in languages}
    return found
