"""The aligner's sparse sentence rows hand out exactly the dense numbers they stand for."""

import numpy as np

from pipeline.alignment.features import idf_weighted, vectors
from pipeline.alignment.params import AlignParams
from pipeline.alignment.rows import SentenceRows, add_up, merge_cells

SENTENCES = ["Le 3 mai 2021, Macron a parlé.", "", "Alice (alice@example.org) lit « Candide » !",
             "Он приехал 3 мая.", "Hello, Mr. Grant: see www.example.com/x.", "Le 3 mai 2021, Macron a parlé."]


def dense_of(cells, values, n, dims):
    """What the aligner's dense matrix held: counts added cell by cell."""
    mat = np.zeros(n * dims, dtype=np.float32)
    np.add.at(mat, np.asarray(cells, dtype=np.int64), np.asarray(values, dtype=np.float32))
    return mat.reshape(n, dims)


def test_rows_from_unsorted_repeated_cells_match_the_dense_sum():
    rng = np.random.default_rng(1)
    n, dims = 7, 16
    cells = rng.integers(0, n * dims, 300)
    values = rng.integers(1, 4, 300).astype(np.float32) / 4
    rows = SentenceRows.from_cells(n, dims, cells, values)
    want = dense_of(cells, values, n, dims)
    assert np.array_equal(rows.dense(), want)
    assert np.array_equal(rows.dense(2, 5), want[2:5])
    assert np.array_equal(rows.dense(5, 99), want[5:])  # past the end: clipped
    assert np.array_equal(rows.take([6, 0, 0, 3]), want[[6, 0, 0, 3]])
    assert np.array_equal(rows.reversed().dense(), want[::-1])
    assert np.array_equal(rows.folded(4).dense(), want.reshape(n, 4, 4).sum(axis=2))
    assert np.array_equal(rows.column_counts(), (want > 0).sum(axis=0))
    assert rows.dense(3, 3).shape == (0, dims)
    # a piece of the document, and passages of three rows (the last one shorter)
    assert np.array_equal(rows.rows(2, 6).dense(), want[2:6]) and len(rows.rows(4, 4)) == 0
    assert np.allclose(rows.grouped(3).dense(), np.add.reduceat(want, [0, 3, 6], axis=0))


def test_merging_two_sets_of_cells_adds_where_they_meet():
    cells, values = add_up(np.array([9, 2, 2, 5]), np.array([1, 1, 1, 1]))
    assert cells.tolist() == [2, 5, 9] and values.tolist() == [2, 1, 1]
    merged, sums = merge_cells(cells, values, np.array([0, 5, 12]), np.array([0.25, 1.0, 1.0], dtype=np.float32))
    assert merged.tolist() == [0, 2, 5, 9, 12]
    assert sums.tolist() == [0.25, 2, 2, 1, 1]


def test_sentence_vectors_are_the_trigram_and_anchor_counts():
    params = AlignParams(dims=256)
    rows = vectors(SENTENCES, params)
    mat = rows.dense()
    assert mat.shape == (len(SENTENCES), 256)
    assert np.array_equal(mat[0], mat[5])  # the same sentence, the same vector
    assert not mat[1].any()  # an empty sentence has no features
    # " le" and "le " and "e 3"...: a sentence of 30 characters has some 30 trigram counts
    assert 20 <= mat[0].sum() <= 60
    before = mat.copy()
    idf_weighted([rows, None], 1.5)
    after = rows.dense()
    assert np.array_equal(after > 0, before > 0)  # weighting never adds or removes a feature
    assert not np.allclose(after, before)


def test_cyrillic_is_folded_as_english_texts_spell_russian_names():
    from pipeline.alignment.features import fold

    # BGN/PCGN, the English convention: "Yuri", "Tchaikovsky"/"Chaykovsky", "Yalta"
    assert fold("Юрий Гагарин") == "yuriy gagarin"
    assert fold("Ялта, Чайковский") == "yalta, chaykovskiy"
    assert fold("Élodie Ça") == "elodie ca"
