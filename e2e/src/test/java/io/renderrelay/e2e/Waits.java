package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.devstack.simulator.SimulatorControl;
import java.time.Duration;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/** Bounded waits on the simulator's view of things (every wait fails the test on timeout). */
final class Waits {

  private Waits() {}

  /** Waits until {@code condition} holds; fails with {@code what} after {@code timeout}. */
  static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Waits until the simulator has taken (and billed) a task for each of {@code jobIds}. */
  static void paid(SimulatorControl sim, Collection<String> jobIds, Duration timeout)
      throws InterruptedException {
    until(
        "a paid submission of each of " + jobIds,
        timeout,
        () -> jobIds.stream().allMatch(j -> sim.paidSubmissions().getOrDefault(j, 0) >= 1));
    for (String j : jobIds) {
      assertThat(sim.paidSubmissions().get(j)).as("paid submissions of %s", j).isEqualTo(1);
    }
  }
}
