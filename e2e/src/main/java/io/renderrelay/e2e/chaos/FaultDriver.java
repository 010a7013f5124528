package io.renderrelay.e2e.chaos;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.simulator.Faults;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the infrastructure and provider faults of a plan: a broker restart, an S3 outage, and
 * bursts of 429s, 5xx, slow answers, lost and duplicated callbacks. Each burst switches its knob
 * off again when it ends; {@link #clearAll()} switches every knob off.
 */
final class FaultDriver {

  private static final Logger LOG = LoggerFactory.getLogger(FaultDriver.class);

  private final DevStack stack;
  private final List<String> done = new CopyOnWriteArrayList<>();

  public FaultDriver(DevStack stack) {
    this.stack = stack;
  }

  /** Runs one non-kill action to its end (blocks for a burst's or a pause's duration). */
  public void apply(ChaosPlan.Action action) throws Exception {
    switch (action) {
      case ChaosPlan.BrokerRestart r -> restartBroker();
      case ChaosPlan.S3Pause p -> pauseS3(p.duration());
      case ChaosPlan.Burst b -> burst(b);
      case ChaosPlan.Kill k -> throw new IllegalArgumentException("kills are the Killer's");
    }
  }

  private void restartBroker() {
    long t0 = System.nanoTime();
    stack.kafka().restart();
    note("broker restarted in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
  }

  private void pauseS3(Duration d) throws Exception {
    stack.s3().pause(d).get(d.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    note("S3 unreachable for " + d.toSeconds() + " s");
  }

  private void burst(ChaosPlan.Burst b) throws InterruptedException {
    Faults f = stack.simulator().control().faults();
    switch (b.kind()) {
      case RATE_429 -> f.rate429(new Faults.Rate429(b.probability(), 1));
      case RATE_5XX -> f.rate5xx(new Faults.Rate5xx(b.probability(), List.of(500, 502, 503)));
      case SLOW_ANSWERS -> f.slowAnswers(new Faults.SlowAnswers(b.probability(), 1_500));
      case LOST_CALLBACKS -> f.loseCallbacks(b.probability());
      case DUPLICATE_CALLBACKS -> f.duplicateCallbacks(b.probability());
    }
    Thread.sleep(b.duration());
    switch (b.kind()) {
      case RATE_429 -> f.rate429(null);
      case RATE_5XX -> f.rate5xx(null);
      case SLOW_ANSWERS -> f.slowAnswers(null);
      case LOST_CALLBACKS -> f.loseCallbacks(0);
      case DUPLICATE_CALLBACKS -> f.duplicateCallbacks(0);
    }
    note(String.format("%s p=%.2f for %d ms", b.kind(), b.probability(), b.duration().toMillis()));
  }

  /** Switches every provider fault off. */
  public void clearAll() {
    stack.simulator().control().faults().clear();
  }

  /** What was applied, in order of completion. */
  public List<String> done() {
    return List.copyOf(done);
  }

  private void note(String s) {
    LOG.info("fault: {}", s);
    done.add(s);
  }
}
