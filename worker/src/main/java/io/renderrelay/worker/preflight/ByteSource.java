package io.renderrelay.worker.preflight;

import io.renderrelay.worker.storage.CopyException;
import java.util.Arrays;

/** Random access to a file's bytes: ranged GETs over HTTP, or an array in tests. */
interface ByteSource {

  /**
   * Up to {@code length} bytes from {@code offset}; fewer only where the file ends (an empty array
   * past the end).
   *
   * @throws HeaderException (undecided) when the bytes cannot be read within the check's budget
   * @throws CopyException when fetching them failed
   */
  byte[] read(long offset, int length) throws HeaderException, CopyException;

  /** A source over bytes in memory. */
  static ByteSource of(byte[] file) {
    return (offset, length) -> {
      if (offset < 0 || length < 0) {
        throw new IllegalArgumentException("negative offset or length");
      }
      if (offset >= file.length) {
        return new byte[0];
      }
      int from = (int) offset;
      return Arrays.copyOfRange(file, from, (int) Math.min(file.length, (long) from + length));
    };
  }
}
