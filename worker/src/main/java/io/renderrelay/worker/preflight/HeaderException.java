package io.renderrelay.worker.preflight;

/**
 * A media header could not be read. {@link #conclusive()} tells the two cases apart: true when the
 * bytes themselves prove the file unusable (not the format it claims, corrupt, or ending before its
 * header), false when the check could not read far enough to know (read budget spent, the server
 * cannot seek, a header too large to fetch): a job is refused only on a conclusive error.
 */
final class HeaderException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean conclusive;

  private HeaderException(String message, boolean conclusive) {
    super(message, null, false, false);
    this.conclusive = conclusive;
  }

  /** The file is not what it should be. */
  static HeaderException corrupt(String message) {
    return new HeaderException(message, true);
  }

  /** The check could not read enough to decide. */
  static HeaderException undecided(String message) {
    return new HeaderException(message, false);
  }

  public boolean conclusive() {
    return conclusive;
  }
}
