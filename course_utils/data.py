"""MNIST and toy data for the course, from a local folder, the user's cache or a verified download.

Importing this module does not import TensorFlow (lesson 1 is numpy only); a download shows
Keras' progress bar, so it imports Keras lazily.

Environment variables: COURSE_DATA_DIR (a folder holding the four files: nothing is downloaded),
COURSE_CACHE_DIR (where downloads are kept), COURSE_MNIST_MIRRORS (comma-separated base URLs),
COURSE_DOWNLOAD_TIMEOUT (seconds without data before a mirror is abandoned; default 30) and
COURSE_DOWNLOAD_MIN_RATE (bytes a second a mirror must average over each such period; default 10000).

A problem on this machine (a full disk, a read-only cache, a cache path that is a file) is named on
the error's first line, and no other mirror is tried for it.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import http.client
import os
import shutil
import struct
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

from course_utils.i18n import translated

# The four original files and their published SHA-256 (same bytes on every mirror).
MNIST_SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
MNIST_SIZES = {  # bytes: what a download needs in the cache
    "train-images-idx3-ubyte.gz": 9_912_422,
    "train-labels-idx1-ubyte.gz": 28_881,
    "t10k-images-idx3-ubyte.gz": 1_648_877,
    "t10k-labels-idx1-ubyte.gz": 4_542,
}
MNIST_MIRRORS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
)
DOWNLOAD_TIMEOUT = 30.0  # seconds: a connection or a transfer silent for longer is abandoned
DOWNLOAD_MIN_RATE = 10_000.0  # bytes a second, averaged over each DOWNLOAD_TIMEOUT: a trickle is abandoned
TRAIN_SIZE, VALIDATION_SIZE, TEST_SIZE = 55_000, 5_000, 10_000
VALIDATION_SEED = 1234  # fixed: every lesson holds out the same 5,000 validation images

_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049


class MnistError(RuntimeError):
    """MNIST could not be loaded; the message names the file and the fix."""


class CacheError(MnistError):
    """The cache folder cannot take a download (full, read-only, not a folder): no mirror can help."""


class _MirrorFailed(Exception):
    """One mirror failed for this file (too slow, wrong bytes): the next mirror may do better."""


class _CacheWriteFailed(Exception):
    """Writing the download into the cache failed (its OSError is the cause): no mirror can help."""


def data_dir_from_env() -> Path | None:
    """The local MNIST folder named by COURSE_DATA_DIR, if set."""
    value = os.environ.get("COURSE_DATA_DIR")
    return Path(value).expanduser() if value else None


def default_cache_dir() -> Path:
    """Where downloaded files are kept: COURSE_CACHE_DIR, else ~/.keras/datasets/mnist-idx."""
    return Path(os.environ.get("COURSE_CACHE_DIR", "~/.keras/datasets/mnist-idx")).expanduser()


def sha256_of(path: Path) -> str:
    """The SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_local_file(path: Path) -> None:
    if not path.is_file():
        raise MnistError(
            translated(
                "data",
                "{path} is missing. Put the four MNIST .gz files in a folder and set "
                "COURSE_DATA_DIR=/path/to/folder (or call load_mnist(data_dir=...)).",
            ).format(path=path)
        )
    if sha256_of(path) != MNIST_SHA256[path.name]:
        raise MnistError(
            translated(
                "data",
                "{path} does not match the published SHA-256 of {name}: it is corrupted, "
                "truncated or a different file. It was not used. Replace it with the original file, "
                "or unset COURSE_DATA_DIR to download a verified copy into the cache.",
            ).format(path=path, name=path.name)
        )


def _positive_number(value, message: str) -> float:
    """value as a number > 0; else ValueError(message), a template with the field {value!r}."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not number > 0:
        raise ValueError(message.format(value=value))
    return number


def download_timeout(timeout=None) -> float:
    """Seconds without data before a download is abandoned: the argument, COURSE_DOWNLOAD_TIMEOUT, or 30."""
    value = timeout if timeout is not None else os.environ.get("COURSE_DOWNLOAD_TIMEOUT", DOWNLOAD_TIMEOUT)
    return _positive_number(
        value, translated("data", "the download timeout must be a number of seconds > 0, got {value!r}")
    )


def download_min_rate(min_rate=None) -> float:
    """Bytes a second a mirror must average: the argument, COURSE_DOWNLOAD_MIN_RATE, or 10,000."""
    value = (
        min_rate if min_rate is not None else os.environ.get("COURSE_DOWNLOAD_MIN_RATE", DOWNLOAD_MIN_RATE)
    )
    return _positive_number(
        value,
        translated("data", "the minimum download rate must be a number of bytes a second > 0, got {value!r}"),
    )


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _cache_problem(cache_dir: Path, name: str, error: OSError | None = None) -> CacheError:
    """The error for a cache that cannot take `name`; its first line names the cause and the fix."""
    code = getattr(error, "errno", None)
    fields = dict(cache_dir=cache_dir, name=name, needed=_megabytes(MNIST_SIZES[name]), error=error)
    if code in (errno.ENOSPC, errno.EDQUOT):
        fields["free"] = _megabytes(shutil.disk_usage(_existing(cache_dir)).free)
        message = translated(
            "data",
            "No space left on the disk of the cache folder {cache_dir}: {name} needs {needed} and {free} "
            "are free. Free some space there, or set COURSE_CACHE_DIR to another folder (it is created if "
            "missing), or COURSE_DATA_DIR to a folder holding the four MNIST .gz files.",
        )
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        message = translated(
            "data",
            "The cache folder {cache_dir} is read-only, so {name} cannot be downloaded into it: set "
            "COURSE_CACHE_DIR to another folder (it is created if missing), or COURSE_DATA_DIR to a "
            "folder holding the four MNIST .gz files.",
        )
    elif code in (errno.ENOTDIR, errno.EEXIST):
        message = translated(
            "data",
            "The cache folder {cache_dir} is not a folder (a file is in the way): set COURSE_CACHE_DIR "
            "to another folder (it is created if missing), or COURSE_DATA_DIR to a folder holding the "
            "four MNIST .gz files.",
        )
    elif code == errno.EFBIG:
        message = translated(
            "data",
            "{name} ({needed}) is larger than this process may write (a file-size limit, ulimit -f) into "
            "the cache folder {cache_dir}: raise the limit, or set COURSE_CACHE_DIR to another folder (it "
            "is created if missing), or COURSE_DATA_DIR to a folder holding the four MNIST .gz files.",
        )
    else:
        message = translated(
            "data",
            "{name} cannot be written into the cache folder {cache_dir} ({error}): set COURSE_CACHE_DIR "
            "to another folder (it is created if missing), or COURSE_DATA_DIR to a folder holding the "
            "four MNIST .gz files.",
        )
    return CacheError(message.format(**fields))


def _existing(folder: Path) -> Path:
    """The folder itself, or its nearest ancestor that exists."""
    while not folder.exists():
        folder = folder.parent
    return folder


def _check_cache(cache_dir: Path, name: str) -> None:
    """Raise CacheError before any download when the cache folder cannot take `name`."""
    existing = _existing(cache_dir)
    if not existing.is_dir():
        raise _cache_problem(cache_dir, name, OSError(errno.ENOTDIR, "not a folder"))
    if not os.access(existing, os.W_OK):
        raise _cache_problem(cache_dir, name, OSError(errno.EROFS, "read-only"))
    if shutil.disk_usage(existing).free < MNIST_SIZES[name]:
        raise _cache_problem(cache_dir, name, OSError(errno.ENOSPC, "no space"))
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cache_problem(cache_dir, name, error) from None


class _PartialFile:
    """The `.part` file a download streams into; a failure to write it is the cache's, not the mirror's."""

    def __init__(self, target: Path):
        self.target = target
        try:
            handle, self.path = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
            self.file = os.fdopen(handle, "wb", buffering=0)  # unbuffered: a full disk shows at once
        except OSError as error:
            raise _CacheWriteFailed from error

    def write(self, block: bytes) -> None:
        view = memoryview(block)
        try:
            while view:
                view = view[self.file.write(view) :]
        except OSError as error:
            raise _CacheWriteFailed from error

    def keep(self) -> None:
        """Move the finished file to its place in the cache."""
        try:
            self.file.close()
            os.replace(self.path, self.target)
        except OSError as error:
            raise _CacheWriteFailed from error

    def discard(self) -> None:
        self.file.close()
        Path(self.path).unlink(missing_ok=True)


def _fetch(url: str, target: Path, sha256: str, timeout: float, min_rate: float) -> None:
    """Stream url into target through a `.part` file; keep it only if its SHA-256 matches.

    The timeout bounds the connection and every read (a silent mirror); each `timeout` seconds the
    mirror must have sent `min_rate` bytes a second on average (a trickling mirror).
    """
    digest = hashlib.sha256()
    partial, progress = _PartialFile(target), None
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            progress = _Progress(url, int(response.headers.get("Content-Length") or 0) or None)
            window_start, window_bytes = time.monotonic(), 0
            while block := response.read1(1 << 16):  # what has arrived, without waiting for a full block
                partial.write(block)
                digest.update(block)
                progress.advance(len(block))
                window_bytes += len(block)
                elapsed = time.monotonic() - window_start
                if elapsed >= timeout:
                    if window_bytes < min_rate * elapsed:
                        raise _MirrorFailed(
                            translated(
                                "data",
                                "too slow: {received} bytes in {elapsed:.0f} s, under the minimum of "
                                "{min_rate:g} bytes a second (COURSE_DOWNLOAD_MIN_RATE)",
                            ).format(received=window_bytes, elapsed=elapsed, min_rate=min_rate)
                        )
                    window_start, window_bytes = time.monotonic(), 0
        if digest.hexdigest() != sha256:
            raise _MirrorFailed(
                translated(
                    "data", "the file's SHA-256 does not match the published one (corrupted or truncated)"
                )
            )
        partial.keep()
    except BaseException:
        if progress is not None:
            progress.abandon()
        raise
    finally:
        partial.discard()


class _Progress:
    """Keras' progress bar for downloads over 1 MB; a bar left unfinished ends its line."""

    def __init__(self, url: str, size: int | None):
        print(translated("data", "Downloading data from {url}").format(url=url), flush=True)
        self.bar, self.done = None, 0
        if size and size >= 1 << 20:
            from keras.utils import Progbar  # lazy: imports TensorFlow

            self.bar = Progbar(size, unit_name="B")

    def advance(self, length: int) -> None:
        self.done += length
        if self.bar is not None:
            self.bar.update(self.done)

    def abandon(self) -> None:
        """End the bar's line, so that what is printed next starts on a line of its own."""
        if self.bar is not None and self.done < self.bar.target:
            print(flush=True)


def _why(error: BaseException) -> str:
    """A short reason for a failed download: timeout, refused connection, HTTP status, bad checksum."""
    reason = getattr(error, "reason", None)  # urllib wraps the socket error
    if isinstance(error, TimeoutError) or isinstance(reason, TimeoutError):
        return translated("data", "no answer (timed out)")
    return str(reason) if reason is not None and not hasattr(error, "code") else str(error)


def _download(name: str, cache_dir: Path, mirrors, timeout: float, min_rate: float) -> Path:
    _check_cache(cache_dir, name)  # a local problem: said first, and no mirror is tried
    target = cache_dir / name
    failures = []
    for mirror in mirrors:
        try:
            _fetch(mirror + name, target, MNIST_SHA256[name], timeout, min_rate)
            return target
        except _CacheWriteFailed as failure:  # the partial file is gone: the free space is what is left
            raise _cache_problem(cache_dir, name, failure.__cause__) from None
        except (OSError, http.client.HTTPException, ValueError, _MirrorFailed) as error:
            failures.append(f"  {mirror + name}: {_why(error)}")  # network, HTTP, timeout, rate, checksum
    if target.exists() and sha256_of(target) != MNIST_SHA256[name]:
        target.unlink()  # a corrupted copy must not look like a cached one
    raise MnistError(
        translated(
            "data",
            "Set COURSE_DATA_DIR to a folder holding the four MNIST .gz files, or COURSE_CACHE_DIR to a "
            "writable folder on a machine that can reach a mirror.\n"
            "Could not download {name} from any mirror (no network, a mirror that does not answer within "
            "{timeout:g} s or sends under {min_rate:g} bytes a second, or no copy that passed the SHA-256 "
            "check). Mirrors tried:\n{failures}\n"
            "Put the four MNIST .gz files in a folder and set COURSE_DATA_DIR=/path/to/folder "
            "(or call load_mnist(data_dir=...)).",
        ).format(name=name, timeout=timeout, min_rate=min_rate, failures="\n".join(failures))
    )


def mnist_files(data_dir=None, cache_dir=None, mirrors=None, timeout=None, min_rate=None) -> dict[str, Path]:
    """Paths of the four verified MNIST files: local folder, else cache, else a download.

    ``timeout``: seconds a mirror may stay silent before the next one is tried (default
    COURSE_DOWNLOAD_TIMEOUT, else 30). ``min_rate``: bytes a second a mirror must average over each
    ``timeout`` seconds (default COURSE_DOWNLOAD_MIN_RATE, else 10,000).
    """
    data_dir = Path(data_dir).expanduser() if data_dir is not None else data_dir_from_env()
    if data_dir is not None:
        paths = {name: data_dir / name for name in MNIST_SHA256}
        for path in paths.values():
            _check_local_file(path)
        return paths
    cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    env_mirrors = os.environ.get("COURSE_MNIST_MIRRORS")
    if mirrors is None:
        mirrors = env_mirrors.split(",") if env_mirrors else MNIST_MIRRORS
    mirrors = [m if m.endswith("/") else m + "/" for m in mirrors]
    paths = {}
    for name, sha in MNIST_SHA256.items():
        cached = cache_dir / name
        if cached.is_file() and sha256_of(cached) == sha:
            paths[name] = cached
        else:  # missing or bad: fetched again
            paths[name] = _download(
                name, cache_dir, mirrors, download_timeout(timeout), download_min_rate(min_rate)
            )
    return paths


def read_idx(path) -> np.ndarray:
    """Decode a gzipped IDX file (MNIST images or labels) into a uint8 array."""
    path = Path(path)
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as exc:
        raise MnistError(
            translated(
                "data",
                "{path} is not a complete gzip file ({error}). Delete it and load again "
                "to fetch a fresh copy, or replace it with the original file.",
            ).format(path=path, error=exc)
        ) from None
    if len(raw) < 8:
        raise MnistError(
            translated(
                "data", "{path} is too short to be an IDX file. Replace it with the original file."
            ).format(path=path)
        )
    magic, count = struct.unpack(">II", raw[:8])
    if magic == _LABELS_MAGIC:
        shape, offset = (count,), 8
    elif magic == _IMAGES_MAGIC:
        if len(raw) < 16:
            raise MnistError(
                translated(
                    "data", "{path}: IDX image header is truncated. Replace it with the original file."
                ).format(path=path)
            )
        rows, cols = struct.unpack(">II", raw[8:16])
        if (rows, cols) != (28, 28):
            raise MnistError(
                translated("data", "{path}: images are {rows}x{cols}, expected 28x28. Is this MNIST?").format(
                    path=path, rows=rows, cols=cols
                )
            )
        shape, offset = (count, rows, cols), 16
    else:
        raise MnistError(
            translated(
                "data",
                "{path}: wrong IDX magic number {magic} (expected {images_magic} for images or "
                "{labels_magic} for labels). Is this an MNIST file? Replace it with the original.",
            ).format(path=path, magic=magic, images_magic=_IMAGES_MAGIC, labels_magic=_LABELS_MAGIC)
        )
    expected = int(np.prod(shape))
    if len(raw) - offset != expected:
        raise MnistError(
            translated(
                "data",
                "{path}: header announces {count} items ({expected} bytes) but the file holds "
                "{held} bytes. Replace it with the original file.",
            ).format(path=path, count=count, expected=expected, held=len(raw) - offset)
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=offset).reshape(shape)


def _to_float(images: np.ndarray, flat: bool) -> np.ndarray:
    out = images.astype(np.float32)
    out /= np.float32(255)
    return out.reshape(len(out), -1) if flat else out


def _labels(labels: np.ndarray, one_hot: bool) -> np.ndarray:
    if one_hot:
        return np.eye(10, dtype=np.float32)[labels]
    return labels.astype(np.int64)


def split_indices() -> tuple[np.ndarray, np.ndarray]:
    """Sorted indices into the 60,000 original training images: ``(train, validation)``."""
    order = np.random.default_rng(VALIDATION_SEED).permutation(TRAIN_SIZE + VALIDATION_SIZE)
    return np.sort(order[VALIDATION_SIZE:]), np.sort(order[:VALIDATION_SIZE])


def load_mnist(
    data_dir=None,
    *,
    flat: bool = False,
    one_hot: bool = False,
    train_size: int | None = None,
    cache_dir=None,
    mirrors=None,
    timeout=None,
):
    """Return ``(x_train, y_train), (x_val, y_val), (x_test, y_test)``: 55,000 / 5,000 / 10,000.

    Pixels are float32 in [0, 1], shaped (N, 28, 28) or (N, 784) with ``flat=True``; labels are
    integers 0-9, or one-hot float32 rows with ``one_hot=True``. ``train_size`` keeps only the
    first images of the training split (for quick runs); validation and test stay whole.
    ``timeout`` is the seconds a download mirror may stay silent (see ``mnist_files``).
    """
    if train_size is not None and not 1 <= train_size <= TRAIN_SIZE:
        raise ValueError(
            translated(
                "data", "train_size must be between 1 and {maximum} (or None for all), got {train_size}"
            ).format(maximum=TRAIN_SIZE, train_size=train_size)
        )
    files = mnist_files(data_dir, cache_dir, mirrors, timeout)
    arrays = {name: read_idx(path) for name, path in files.items()}
    train_images, train_labels = arrays["train-images-idx3-ubyte.gz"], arrays["train-labels-idx1-ubyte.gz"]
    test_images, test_labels = arrays["t10k-images-idx3-ubyte.gz"], arrays["t10k-labels-idx1-ubyte.gz"]
    for images, labels, n in ((train_images, train_labels, 60_000), (test_images, test_labels, TEST_SIZE)):
        if len(images) != n or len(labels) != n:
            raise MnistError(
                translated(
                    "data",
                    "expected {n} images and labels, found {images} and {labels}: "
                    "the files in {folder} do not belong together.",
                ).format(
                    n=n,
                    images=len(images),
                    labels=len(labels),
                    folder=files["train-images-idx3-ubyte.gz"].parent,
                )
            )
    train_idx, val_idx = split_indices()
    if train_size is not None:
        train_idx = train_idx[:train_size]
    return (
        (_to_float(train_images[train_idx], flat), _labels(train_labels[train_idx], one_hot)),
        (_to_float(train_images[val_idx], flat), _labels(train_labels[val_idx], one_hot)),
        (_to_float(test_images, flat), _labels(test_labels, one_hot)),
    )


def make_blobs(n_samples: int = 500, std: float = 2.5, seed: int = 0):
    """Two Gaussian blobs in 2-D for lesson 1: ``X`` of shape (n, 2) and labels ``y`` in {0, 1}."""
    from sklearn.datasets import make_blobs as sklearn_blobs

    if n_samples < 2:
        raise ValueError(
            translated("data", "n_samples must be at least 2, got {n_samples}").format(n_samples=n_samples)
        )
    if not std > 0:
        raise ValueError(translated("data", "std must be positive, got {std}").format(std=std))
    X, y = sklearn_blobs(n_samples=n_samples, centers=2, n_features=2, cluster_std=std, random_state=seed)
    return X.astype(np.float64), y.astype(np.int64)
