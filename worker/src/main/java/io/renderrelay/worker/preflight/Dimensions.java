package io.renderrelay.worker.preflight;

/**
 * The displayed size of an image or a video track, in pixels.
 *
 * @param width displayed width, > 0
 * @param height displayed height, > 0
 */
record Dimensions(long width, long height) {

  private static final double SIXTEEN_NINE = 16.0 / 9.0;

  public Dimensions {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("dimensions must be positive: " + width + "x" + height);
    }
  }

  /** True when width:height is 16:9 within a relative {@code tolerance} (0.01 = 1 %). */
  public boolean sixteenByNine(double tolerance) {
    double ratio = (double) width / height;
    return Math.abs(ratio - SIXTEEN_NINE) <= SIXTEEN_NINE * tolerance;
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
