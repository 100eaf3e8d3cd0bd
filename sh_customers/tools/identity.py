"""How a customer is recognised across spellings: the keys that the import
matches an existing customer on and that the duplicate finder compares.

- a phone number as E.164 (``+9665...``), read with the country's rules
  (``phonenumbers``, as Odoo's ``phone_validation`` reads numbers), the
  customer's or else the company's country as default, Arabic-Indic
  digits accepted;
- an e-mail address lower-cased and checked (Odoo's ``email_normalize``);
- a VAT number in capitals without spaces, dots or dashes;
- a name folded so that spellings of one name meet: Arabic diacritics and
  tatweel dropped, the alefs with hamza or madda written as a bare alef,
  taa marbuta as haa and alef maqsura as yaa; Latin letters case-folded
  and their accents dropped; punctuation as a space, spaces collapsed.

The names are kept as written: a key is for matching, never shown."""

import re
import unicodedata

import phonenumbers

from odoo.tools import email_normalize

# Arabic-Indic and Extended Arabic-Indic (Persian) digits as ASCII digits.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Letters written differently in one name.
ARABIC_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي"})
# Harakat, tanween, shadda, sukun, superscript alef and the tatweel.
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
NOT_A_WORD = re.compile(r"[\W_]+", re.UNICODE)
VAT_SEPARATORS = re.compile(r"[\s.\-/]+")


def ascii_digits(text):
    """``text`` with its Arabic-Indic digits written as ASCII digits."""
    return text.translate(DIGITS) if text else text


def phone_key(number, country_code=None):
    """``number`` as E.164 (``+966501234567``) read with the rules of the
    country ``country_code`` (ISO, two letters) when it has no country
    prefix; None when empty. Raises ValueError with the reason when it is
    not a valid number."""
    if not number or not number.strip():
        return None
    text = ascii_digits(number.strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        parsed = phonenumbers.parse(text, (country_code or "").upper() or None)
    except phonenumbers.NumberParseException as error:
        raise ValueError(str(error)) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("not a valid number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def safe_phone_key(number, country_code=None):
    """``phone_key``, or None for a number that is not valid."""
    try:
        return phone_key(number, country_code)
    except ValueError:
        return None


def email_key(email):
    """``email`` lower-cased, or None when it is empty or not an address."""
    if not email or not email.strip():
        return None
    return email_normalize(ascii_digits(email.strip())) or None


def vat_key(vat):
    """``vat`` in capitals without separators, or None when empty."""
    if not vat:
        return None
    return VAT_SEPARATORS.sub("", ascii_digits(vat)).upper() or None


def name_key(name):
    """``name`` folded (see the module's head), or None when empty."""
    if not name:
        return None
    text = ascii_digits(name)
    text = ARABIC_MARKS.sub("", text).translate(ARABIC_FOLDS)
    # Accents of Latin letters: decomposed, the marks dropped (Arabic
    # letters have no decomposition the folds above have not made).
    text = "".join(
        char
        for char in unicodedata.normalize("NFKD", text.casefold())
        if not unicodedata.combining(char)
    )
    return NOT_A_WORD.sub(" ", text).strip() or None
