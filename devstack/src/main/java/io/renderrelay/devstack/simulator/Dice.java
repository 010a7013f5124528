package io.renderrelay.devstack.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/** The simulator's one seeded source of randomness; thread-safe, deterministic for one seed. */
final class Dice {
  private final Random random;

  Dice(long seed) {
    this.random = new Random(seed);
  }

  /** True with probability {@code p}; 0 and 1 are exact and draw nothing. */
  synchronized boolean roll(double p) {
    if (p <= 0) {
      return false;
    }
    if (p >= 1) {
      return true;
    }
    return random.nextDouble() < p;
  }

  synchronized <T> T pick(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  synchronized Duration sample(RenderTimeDistribution distribution) {
    return distribution.sample(random);
  }

  synchronized double uniform(double from, double to) {
    return from + random.nextDouble() * (to - from);
  }
}
