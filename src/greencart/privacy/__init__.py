"""Privacy: keyed pseudonyms for shopper ids and redaction of personal data in text.

- :class:`Pseudonymiser`: HMAC-SHA256 under a key from ``GREENCART_PSEUDONYM_KEY``
  or a 0600 key file in the var dir (never in the database).
- :class:`Redactor`: Presidio pattern recognizers, offline (blank spaCy pipelines
  loaded by path), for e-mail, phone (incl. CN mobiles), card (Luhn), IBAN and IP,
  replaced by ``<EMAIL>``, ``<PHONE>``, ``<CARD>``, ``<IBAN>``, ``<IP>``.

Importing this package loads neither presidio nor spaCy; the engines load on
the first redaction, once per process.
"""

from greencart.privacy.pseudonym import KEY_ENV, Pseudonymiser, load_or_create_key
from greencart.privacy.recognizers import ENTITIES, PLACEHOLDERS
from greencart.privacy.redact import Redaction, Redactor, TextRedactor, redactor_for

__all__ = [
    "ENTITIES", "KEY_ENV", "PLACEHOLDERS", "Pseudonymiser", "Redaction", "Redactor", "TextRedactor",
    "load_or_create_key", "redactor_for",
]
