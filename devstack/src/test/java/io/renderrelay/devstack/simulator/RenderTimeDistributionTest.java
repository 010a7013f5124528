package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RenderTimeDistributionTest {

  private static double[] samples(RenderTimeDistribution d, long seed, int n) {
    Random random = new Random(seed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = d.sample(random).toNanos() / 1e9;
    }
    Arrays.sort(out);
    return out;
  }

  @Test
  void restyleSamplesMatchMedianAndP95() {
    double[] s = samples(RenderTimeDistribution.restyleDefault(), 7, 40_000);
    assertThat(s[s.length / 2]).isCloseTo(150, within(150 * 0.03));
    assertThat(s[(int) (s.length * 0.95)]).isCloseTo(480, within(480 * 0.05));
  }

  @Test
  void actOneSamplesMatchMedianAndP95() {
    double[] s = samples(RenderTimeDistribution.actOneDefault(), 11, 40_000);
    assertThat(s[s.length / 2]).isCloseTo(180, within(180 * 0.03));
    assertThat(s[(int) (s.length * 0.95)]).isCloseTo(720, within(720 * 0.05));
    assertThat(s[0]).isPositive();
  }

  @Test
  void sameSeedSameSamples() {
    var d = RenderTimeDistribution.restyleDefault();
    assertThat(samples(d, 3, 100)).containsExactly(samples(d, 3, 100));
    assertThat(samples(d, 3, 100)).isNotEqualTo(samples(d, 4, 100));
  }

  @Test
  void equalMedianAndP95IsAConstant() {
    var d = new RenderTimeDistribution(Duration.ofSeconds(5), Duration.ofSeconds(5));
    assertThat(d.sample(new Random(1))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new RenderTimeDistribution(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("median must be positive");
    assertThatThrownBy(
            () -> new RenderTimeDistribution(Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .hasMessageContaining("must not be below the median");
  }
}
