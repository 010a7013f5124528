package io.renderrelay.worker.storage;

/** S3 multipart limits and the arithmetic of splitting a stream into parts. */
public final class PartMath {
  /** Smallest part S3 accepts (all but the last part). */
  public static final long MIN_PART_BYTES = 5L * 1024 * 1024;

  /** Largest part this worker uses (a part is one reused heap buffer). */
  public static final long MAX_PART_BYTES = 512L * 1024 * 1024;

  /** Most parts in one S3 multipart upload. */
  public static final int MAX_PARTS = 10_000;

  /** Largest object one PutObject can write, and the largest output this worker copies. */
  public static final long MAX_SINGLE_PUT_BYTES = 5L * 1024 * 1024 * 1024;

  private PartMath() {}

  /** Throws IllegalArgumentException when the part size cannot carry outputs of maxBytes. */
  public static void requireValid(long partSizeBytes, long maxOutputBytes) {
    if (partSizeBytes < MIN_PART_BYTES || partSizeBytes > MAX_PART_BYTES) {
      throw new IllegalArgumentException(
          "storage part size "
              + partSizeBytes
              + " must be between "
              + MIN_PART_BYTES
              + " and "
              + MAX_PART_BYTES
              + " bytes");
    }
    if (maxOutputBytes <= 0 || maxOutputBytes > MAX_SINGLE_PUT_BYTES) {
      throw new IllegalArgumentException(
          "storage max output size " + maxOutputBytes + " must be between 1 and 5 GiB");
    }
    if (partCount(maxOutputBytes, partSizeBytes) > MAX_PARTS) {
      throw new IllegalArgumentException(
          "storage part size "
              + partSizeBytes
              + " is too small for outputs of "
              + maxOutputBytes
              + " bytes (S3 allows "
              + MAX_PARTS
              + " parts)");
    }
  }

  /** Parts needed for an object of this size (an empty object is one part). */
  public static long partCount(long objectBytes, long partSizeBytes) {
    if (objectBytes < 0 || partSizeBytes <= 0) {
      throw new IllegalArgumentException("sizes must be positive");
    }
    return Math.max(1, (objectBytes + partSizeBytes - 1) / partSizeBytes);
  }

  /** Size of part number {@code partNumber} (1-based) of an object of this size. */
  public static long partLength(long objectBytes, long partSizeBytes, int partNumber) {
    long count = partCount(objectBytes, partSizeBytes);
    if (partNumber < 1 || partNumber > count) {
      throw new IllegalArgumentException("part " + partNumber + " of " + count);
    }
    return partNumber < count ? partSizeBytes : objectBytes - (count - 1) * partSizeBytes;
  }

  /** Whether a stream of this many bytes is sent as one PutObject rather than multipart. */
  public static boolean isSinglePut(long objectBytes, long partSizeBytes) {
    return objectBytes < partSizeBytes;
  }
}
