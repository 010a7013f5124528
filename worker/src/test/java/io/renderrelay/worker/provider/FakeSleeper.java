package io.renderrelay.worker.provider;

import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.retry.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sleeper that records each wait and moves the fake clock instead of sleeping. */
final class FakeSleeper implements Sleeper {
  private final MutableClock clock;
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  FakeSleeper(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration) {
    if (duration.isPositive()) {
      sleeps.add(duration);
      clock.advance(duration);
    }
  }

  Duration total() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
