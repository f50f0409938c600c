"""Benchmark: load MNIST from a warm local copy (time, and peak memory beyond the arrays).

    COURSE_DATA_DIR=/path/to/mnist python benchmarks/load_mnist.py

Goals: under 1 s, and peak extra memory under 3x the decoded arrays (~220 MB).
"""

import statistics
import time
import tracemalloc

from course_utils.data import load_mnist, mnist_files


def main(repeats: int = 5) -> None:
    mnist_files()  # warm: files verified and in the page cache
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        splits = load_mnist()
        times.append(time.perf_counter() - start)
        del splits
    tracemalloc.start()
    splits = load_mnist()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    arrays = sum(a.nbytes for split in splits for a in split)
    print(f"load_mnist: median {statistics.median(times):.3f} s, best {min(times):.3f} s over {repeats} runs")
    print(
        f"decoded arrays {arrays / 1e6:.0f} MB; peak traced memory {peak / 1e6:.0f} MB = {peak / arrays:.2f}x"
    )


if __name__ == "__main__":
    main()
