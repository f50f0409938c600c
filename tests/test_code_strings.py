"""Which literals of a lesson's code are texts to translate, how they are replaced and checked."""

from __future__ import annotations

import pytest

from course_utils.course import code_strings

CELL = '''def network(units):
    """Docstring: code, not a message."""
    print(f"{'val. acc.':>9s}  {len(x):,} images", history.history["val_accuracy"][-1])
    ax.set_xlabel("epoch")
    check("lesson05.fit", fit)
    np.einsum("ni,iuk->nuk", a, b)
    model.save("models/lesson09.keras")
    compare(guess, "the same")
    %env COURSE_LANGUAGE=es
    return f"{name}_{loss}_val_accuracy", b"bytes here", "validation:"
'''


def test_messages_are_the_texts_a_reader_sees_and_not_names_keys_paths_or_docstrings():
    assert code_strings.messages(CELL) == [
        "{'val. acc.':>9s}  {len(x):,} images",
        "epoch",
        "the same",
        "validation:",
    ]


def test_replacing_changes_only_the_messages():
    spanish = {"epoch": "época", "validation:": "validación:"}
    replaced = code_strings.replaced(CELL, lambda text: spanish.get(text, text))
    assert replaced == CELL.replace('"epoch"', '"época"').replace('"validation:"', '"validación:"')


def test_a_cell_that_does_not_tokenize_has_no_messages():
    assert code_strings.messages('print("unclosed') == []


@pytest.mark.parametrize(
    "english, spanish",
    [
        ("{'val. acc.':>9s}  {n:,} images", "{'exact. val.':>9s}  {n} imágenes"),  # inner text, grouping
        ("epoch {e}: loss {h['loss'][-1]:.4f}", "pérdida {h['loss'][-1]:.4f} en la época {e}"),  # order
        ("{f'layer {i}':>8}", "{f'capa {i}':>8}"),
    ],
)
def test_a_translation_may_reword_move_fields_and_drop_the_comma_grouping(english, spanish):
    assert code_strings.problem(english, spanish) is None


@pytest.mark.parametrize(
    "english, spanish, why",
    [
        ("loss {h['loss'][-1]:.4f}", "pérdida {h['pérdida'][-1]:.4f}", "fields"),  # a key is code
        ("accuracy {a:.4f}", "exactitud {a:.3f}", "fields"),  # another precision: other numbers
        ("{'val. acc.':>9s}", "{'exactitud val.':>15s}", "fields"),  # a wider column
        ("epoch {e}", "época", "fields"),  # a field lost
        ("epoch {e}", "época {e", "valid"),
        ("say hi", 'di "hola"', "valid"),  # the literal's own quote
    ],
)
def test_a_translation_that_changes_a_field_or_breaks_the_literal_is_refused(english, spanish, why):
    assert why in code_strings.problem(english, spanish)
