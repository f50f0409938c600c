"""course_utils.pipelines: tf.data helpers keep every example and shuffle reproducibly."""

import numpy as np
import pytest

from course_utils.pipelines import evaluation_dataset, training_dataset


def _data(n=10):
    x = np.arange(n * 4, dtype=np.float32).reshape(n, 2, 2)
    return x, np.arange(n)


def test_evaluation_keeps_the_last_partial_batch_in_order():
    x, y = _data(10)
    batches = [b[1].numpy() for b in evaluation_dataset(x, y, batch_size=3)]
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert np.concatenate(batches).tolist() == list(range(10))


def test_training_sees_every_example_once_per_epoch_in_a_seeded_order():
    x, y = _data(10)
    ds = training_dataset(x, y, batch_size=4, seed=3)
    epoch1 = np.concatenate([b[1].numpy() for b in ds])
    epoch2 = np.concatenate([b[1].numpy() for b in ds])
    assert sorted(epoch1) == list(range(10)) and sorted(epoch2) == list(range(10))
    assert epoch1.tolist() != epoch2.tolist()  # reshuffled each epoch
    again = np.concatenate([b[1].numpy() for b in training_dataset(x, y, batch_size=4, seed=3)])
    assert again.tolist() == epoch1.tolist()  # same seed, same order


def test_shapes_and_dtypes_are_kept():
    x, y = _data(5)
    images, labels = next(iter(training_dataset(x, y, batch_size=2)))
    assert images.shape == (2, 2, 2) and images.dtype.name == "float32" and labels.dtype.name == "int64"


@pytest.mark.parametrize("batch_size", [0, -1, 2.5])
def test_bad_batch_size(batch_size):
    x, y = _data(4)
    with pytest.raises(ValueError, match="batch_size"):
        training_dataset(x, y, batch_size)
    with pytest.raises(ValueError, match="batch_size"):
        evaluation_dataset(x, y, batch_size)


def test_mismatched_or_empty_data():
    x, y = _data(4)
    with pytest.raises(ValueError, match="4 images but 3 labels"):
        evaluation_dataset(x, y[:3])
    with pytest.raises(ValueError, match="empty"):
        training_dataset(x[:0], y[:0], 2)


def _digits(n=6):
    """Small 'digits': a 4x4 block of ink well inside a 28x28 frame, as MNIST digits are."""
    x = np.zeros((n, 28, 28), np.float32)
    for i in range(n):
        x[i, 10 + i % 3 : 14 + i % 3, 11:15] = 1.0
    return x, np.arange(n)


def _ink_position(image):
    rows, cols = np.nonzero(np.reshape(image, (28, 28)))
    return rows.min(), cols.min()


@pytest.mark.parametrize("flat", [False, True])
def test_shift_augmentation_moves_whole_images_by_at_most_max_shift(flat):
    x, y = _digits()
    data = x.reshape(len(x), -1) if flat else x
    ds = training_dataset(data, y, batch_size=6, seed=1, max_shift=2)
    moved = []
    for _ in range(3):  # three epochs
        images, labels = next(iter(ds))
        assert images.shape == data.shape
        for image, label in zip(images.numpy(), labels.numpy(), strict=True):
            assert image.sum() == 16  # the whole block of ink, only moved
            r, c = _ink_position(image)
            r0, c0 = _ink_position(x[label])
            assert abs(r - r0) <= 2 and abs(c - c0) <= 2
            moved.append((r - r0, c - c0))
    assert len(set(moved)) > 3  # not the same shift for every image and epoch


def test_shift_augmentation_is_reproducible_from_the_seed():
    x, y = _digits()

    def first_epoch(seed):
        return next(iter(training_dataset(x, y, 6, seed=seed, max_shift=2)))[0].numpy()

    assert np.array_equal(first_epoch(5), first_epoch(5))
    assert not np.array_equal(first_epoch(5), first_epoch(6))


@pytest.mark.parametrize("bad", [-1, 9, 1.5])
def test_bad_max_shift(bad):
    x, y = _digits()
    with pytest.raises(ValueError, match="max_shift"):
        training_dataset(x, y, 2, max_shift=bad)
