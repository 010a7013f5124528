package io.renderrelay.e2e.demo;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.Money;
import io.renderrelay.worker.spend.Periods;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The closing lines of a demo run: what went wrong (lost jobs, missing videos, repeated events) on
 * the error stream, where the renders landed, the counts and, under a budget, what was paid and
 * held on the output stream.
 *
 * @param out the summary
 * @param err what went wrong
 * @param timeout how long the run waited for terminal events
 * @param budget the daily cap the worker ran with, if any
 * @param clock the day whose spend is told
 */
public record DemoSummary(
    PrintStream out, PrintStream err, Duration timeout, Optional<String> budget, Clock clock) {

  /** Prints the summary of {@code r}; 0 when every job ended well, else 1. */
  public int print(
      DemoRunner.Result r, DevStack stack, JobTracker tracker, RenderRelayWorker worker) {
    if (!r.lost().isEmpty()) {
      err.println("demo: LOST (no terminal event within " + timeout + "): " + r.lost());
    }
    if (!r.notInS3().isEmpty()) {
      err.println("demo: video missing in S3 or of another size: " + r.notInS3());
    }
    if (!tracker.repeated().isEmpty()) {
      err.println("demo: more than one terminal event for " + tracker.repeated());
    }
    r.layout()
        .ifPresent(
            layout ->
                out.printf(
                    Locale.ROOT,
                    "demo: renders landed in bucket '%s' on %s %s%n",
                    stack.bucket(),
                    stack.s3().endpoint(),
                    layout));
    out.printf(
        Locale.ROOT,
        "demo: %d jobs ended in %.1f s: %d completed, %d failed, %d lost%n",
        r.submitted() - r.held().size(),
        r.elapsed().toMillis() / 1000.0,
        r.completed(),
        r.failed(),
        r.lost().size());
    budget.ifPresent(cap -> printSpend(cap, r, stack, worker));
    out.printf(Locale.ROOT, "demo: %d/%d jobs completed%n", r.completed(), r.submitted());
    out.flush();
    return r.ok() ? 0 : 1;
  }

  private void printSpend(
      String cap, DemoRunner.Result r, DevStack stack, RenderRelayWorker worker) {
    int paid = stack.simulator().control().paidSubmissions().size(); // only the demo's jobs
    out.printf(
        Locale.ROOT,
        "demo: budget %s reached: %d jobs paid, %d held by the budget guard, spent %s%n",
        Money.format(Money.parse(cap)),
        paid,
        r.held().size(),
        Money.format(worker.spendGuard().spent(Periods.day(clock.instant()))));
  }
}
