package io.renderrelay.worker.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line text progress bar on stderr: {@code [#####.....] 120/500 24% replayed=30 12.0/s}.
 * Redrawn in place with a carriage return at most ten times a second; {@link #disabled()} draws
 * nothing.
 */
final class ProgressBar {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final LongSupplier nanoTime;
  private final long total;
  private final long started;
  private long lastDraw = Long.MIN_VALUE;
  private boolean drawn;

  public ProgressBar(PrintWriter err, LongSupplier nanoTime, long total) {
    this.err = err;
    this.nanoTime = nanoTime;
    this.total = total;
    this.started = nanoTime.getAsLong();
  }

  /** A bar that draws nothing. */
  public static ProgressBar disabled() {
    return new ProgressBar(null, () -> 0L, 0);
  }

  /** Redraws when enough time has passed since the last draw. */
  public void update(long done, long sent) {
    if (err == null) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    err.print("\r" + render(done, sent, now));
    err.flush();
    drawn = true;
  }

  /** Draws the final state and ends the line. */
  public void finish(long done, long sent) {
    if (err == null) {
      return;
    }
    err.print("\r" + render(done, sent, nanoTime.getAsLong()));
    err.println();
    err.flush();
    drawn = false;
  }

  boolean drawn() {
    return drawn;
  }

  String render(long done, long sent, long now) {
    double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = Math.max((now - started) / 1e9, 1e-9);
    return String.format(
        Locale.ROOT,
        "[%s%s] %d/%d %3d%% sent=%d %.1f/s",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        done,
        total,
        (int) Math.round(fraction * 100),
        sent,
        now == started ? 0.0 : sent / seconds);
  }
}
