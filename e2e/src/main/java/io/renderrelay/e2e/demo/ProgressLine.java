package io.renderrelay.e2e.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's live progress on stderr. On a terminal one line is redrawn in place (carriage return);
 * otherwise (a log file, CI) a new line is printed every {@code plainInterval}, so that a log does
 * not fill with one line per change.
 */
public final class ProgressLine {

  private static final int BAR_WIDTH = 20;

  /**
   * One look at the jobs.
   *
   * @param total jobs the demo will publish
   * @param submitted jobs published and acknowledged by the broker
   * @param polling jobs the provider has accepted that have no terminal event yet
   * @param completed jobs with a {@code RenderCompleted}
   * @param failed jobs with a {@code RenderFailed}
   * @param elapsed time since the first job was published
   */
  public record Progress(
      int total, int submitted, int polling, int completed, int failed, Duration elapsed) {

    /** Jobs with a terminal event. */
    public int done() {
      return completed + failed;
    }
  }

  private final PrintStream err;
  private final boolean terminal;
  private final Duration plainInterval;
  private Progress lastPrinted;
  private int lastWidth;

  /**
   * Creates the progress line.
   *
   * @param err where it is printed
   * @param terminal whether {@code err} is a terminal (redraw in place)
   * @param plainInterval on a non-terminal, the gap between two lines
   */
  public ProgressLine(PrintStream err, boolean terminal, Duration plainInterval) {
    this.err = err;
    this.terminal = terminal;
    this.plainInterval = plainInterval;
  }

  /** Shows the progress (redrawn on a terminal, else a new line when due). */
  public synchronized void update(Progress p) {
    if (terminal) {
      redraw(p);
    } else if (lastPrinted == null
        || p.elapsed().minus(lastPrinted.elapsed()).compareTo(plainInterval) >= 0) {
      err.println(format(p));
      lastPrinted = p;
    }
  }

  /** Shows the final progress and ends the line. */
  public synchronized void finish(Progress p) {
    if (terminal) {
      redraw(p);
      err.println();
    } else {
      err.println(format(p));
    }
    err.flush();
    lastPrinted = p;
  }

  private void redraw(Progress p) {
    String line = format(p);
    int pad = Math.max(0, lastWidth - line.length());
    err.print("\r" + line + " ".repeat(pad));
    err.flush();
    lastWidth = line.length();
  }

  /**
   * The line, e.g. {@code demo [#######.............] 2/6 done | submitted 6 polling 3 completed 2
   * failed 0 | 12.3s}.
   */
  public static String format(Progress p) {
    int filled = p.total() == 0 ? 0 : (int) ((long) p.done() * BAR_WIDTH / p.total());
    return String.format(
        Locale.ROOT,
        "demo [%s%s] %d/%d done | submitted %d  polling %d  completed %d  failed %d | %.1fs",
        "#".repeat(filled),
        ".".repeat(BAR_WIDTH - filled),
        p.done(),
        p.total(),
        p.submitted(),
        p.polling(),
        p.completed(),
        p.failed(),
        p.elapsed().toMillis() / 1000.0);
  }
}
