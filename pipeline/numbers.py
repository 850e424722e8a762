"""Numbers read as values whatever the convention: "70 000", "70,000" and "70.000" are one
number, "3,3" and "3.3" another. Standard library only: the quality flags load no numpy.

Two readers use it, each as it was tuned:

* the quality flags (:mod:`pipeline.quality`) compare the numbers of a sentence and its
  English, so a number is its value: the thousands mark is the convention of the text's
  language only ("1.500" is 1500 in a French text but 1.5 in an English one), and leading
  and trailing zeros go ("07" is 7, "2,50" is 2.5);
* the aligner's anchors (:mod:`pipeline.alignment.features`) are features two sentences
  share, hashed as written and weighed by their rarity; a number is read the same way in
  both texts whatever their languages (an aligned pair's languages are not known to its
  features), and zeros are kept: "07" stays a token of its own. Making the anchors values
  as the flags' are would change the features, and so the beads.
"""

from __future__ import annotations

import re

_SPACES = str.maketrans("", "", " \u00a0\u202f")  # "10 000" is 10000
# a thousands mark is one followed by three digits and no more (what is left is a decimal mark)
_THOUSANDS = {marks: re.compile(f"[{re.escape(marks)}](?=\\d{{3}}(?!\\d))") for marks in (",", ".", ",.")}


def number_value(number: str, *, thousands: str = ",.", canonical: bool = False) -> str:
    """``number`` (digits, with spaces, commas or dots between them) as one spelling of its
    value: spaces dropped, each of the ``thousands`` marks that three digits (and no more)
    follow dropped, a comma left over read as the decimal point. ``canonical``: leading
    zeros of the whole part and trailing zeros of the fraction dropped too ("007" -> "7",
    "3,50" -> "3.5", "0,0" -> "0")."""
    if number.isdigit():  # most numbers: nothing to remove or read (the rest is the slow part)
        return (number.lstrip("0") or "0") if canonical else number
    value = number.translate(_SPACES)
    if "." in value or "," in value:
        value = _THOUSANDS[thousands].sub("", value).replace(",", ".")
    if not canonical:
        return value
    if "." in value:
        whole, _, frac = value.partition(".")
        frac = frac.rstrip("0")
        return (whole.lstrip("0") or "0") + ("." + frac if frac else "")
    return value.lstrip("0") or "0"
