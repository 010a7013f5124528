package io.renderrelay.devstack.simulator;

/**
 * Byte sizes of the served outputs. A size below a format's minimum (48 bytes for the MP4, the real
 * image for a PNG) is raised to that minimum; see {@link OutputContent#length}.
 */
public record OutputSizes(long videoBytes, long posterBytes, long lastFrameBytes) {
  public OutputSizes {
    if (videoBytes < 0 || posterBytes < 0 || lastFrameBytes < 0) {
      throw new IllegalArgumentException("output sizes must not be negative");
    }
  }

  /** 256 KiB video, 16 KiB poster and last frame. */
  public static OutputSizes defaults() {
    return new OutputSizes(256 * 1024, 16 * 1024, 16 * 1024);
  }

  /** The configured size of {@code kind}. */
  public long of(OutputKind kind) {
    return switch (kind) {
      case VIDEO -> videoBytes;
      case POSTER -> posterBytes;
      case LAST_FRAME -> lastFrameBytes;
    };
  }
}
