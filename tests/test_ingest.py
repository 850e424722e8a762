import unicodedata

import pytest

from pipeline.errors import InputError
from pipeline.readers import doc_id_for
from pipeline.readers.text import ingest, ingest_bytes

FRENCH = "Ainsi s’exprimait Lénine, président du nouveau Conseil des commissaires du peuple. Élan, œuvre, déjà.\n"
RUSSIAN = "Статья посвящена объединению ведущих левых партий Франции накануне выборов.\n"


@pytest.mark.parametrize(
    "data,text,encoding",
    [
        (FRENCH.encode("utf-8"), FRENCH, "utf-8"),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), FRENCH, "utf-8-sig"),
        (FRENCH.encode("utf-16"), FRENCH, "utf-16"),
        ((RUSSIAN * 5).encode("cp1251"), RUSSIAN * 5, "cp1251"),
        ((FRENCH.replace("’", "'").replace("œ", "oe") * 5).encode("latin-1"), FRENCH.replace("’", "'").replace("œ", "oe") * 5, None),
    ],
)
def test_encodings_are_detected_and_recorded(data, text, encoding):
    doc = ingest_bytes(data, "d")
    assert doc.text == text
    if encoding:
        assert doc.source["encoding"] == encoding
    assert doc.source["bytes"] == len(data)


def test_line_endings_and_nfc_are_normalized_and_recorded():
    decomposed = unicodedata.normalize("NFD", "révolution\r\nÉtat\rfin")
    doc = ingest_bytes(decomposed.encode("utf-8"), "d")
    assert doc.text == "révolution\nÉtat\nfin"
    assert doc.source["normalized"] == {"line_endings": {"crlf": 1, "cr": 1}, "nfc": True}


@pytest.mark.parametrize(
    "data,message",
    [(b"", "empty"), (b"   \n\n", "whitespace"), (bytes(range(256)) * 20, "binary"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 40, "binary")],
)
def test_bad_input_is_one_clear_error(data, message):
    with pytest.raises(InputError, match=message):
        ingest_bytes(data, "d", "x.txt")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        ingest(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        ingest(tmp_path)


def test_document_ids_are_safe_folder_names():
    assert doc_id_for("seeds/003_abc.txt") == "003_abc"
    assert doc_id_for("../../etc/passwd") == "passwd"
    assert "/" not in doc_id_for("a b/..") and doc_id_for("..") == "document"
