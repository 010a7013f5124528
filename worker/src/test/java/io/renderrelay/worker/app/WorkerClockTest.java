package io.renderrelay.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WorkerClockTest {

  private static final Clock BASE =
      Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC);

  @Test
  void withoutTheTestingPropertyTheClockIsTheBaseClock() {
    assertThat(WorkerClock.of(null, BASE)).isSameAs(BASE);
    assertThat(WorkerClock.of(" ", BASE)).isSameAs(BASE);
  }

  @Test
  void anIsoDurationOffsetsTheClockEitherWay() {
    assertThat(WorkerClock.of("PT10M", BASE).instant())
        .isEqualTo(Instant.parse("2026-01-01T10:10:00Z"));
    assertThat(WorkerClock.of("-PT2M", BASE).instant())
        .isEqualTo(Instant.parse("2026-01-01T09:58:00Z"));
  }

  @Test
  void aValueThatIsNoDurationIsRefusedWithThePropertyName() {
    assertThatThrownBy(() -> WorkerClock.of("10m", BASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("renderrelay.testing.clock-offset")
        .hasMessageContaining("PT10M");
  }
}
