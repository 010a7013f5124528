package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimeSpecTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void relativeTimesCountBackOrForwardFromNow() {
    assertThat(TimeSpec.past("2h", clock)).isEqualTo(NOW.minusSeconds(7200));
    assertThat(TimeSpec.past("1h30m", clock)).isEqualTo(NOW.minusSeconds(5400));
    assertThat(TimeSpec.past("1d", clock)).isEqualTo(NOW.minus(Duration.ofDays(1)));
    assertThat(TimeSpec.past("PT15M", clock)).isEqualTo(NOW.minusSeconds(900));
    assertThat(TimeSpec.future("90s", clock)).isEqualTo(NOW.plusSeconds(90));
  }

  @Test
  void absoluteForms() {
    assertThat(TimeSpec.past("2026-11-25T10:00:00Z", clock))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(TimeSpec.past("2026-11-25T10:00:00+01:00", clock))
        .isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
    assertThat(TimeSpec.past("2026-11-25T10:00", clock))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(TimeSpec.past("2026-11-24", clock)).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(TimeSpec.past("1795000000000", clock))
        .isEqualTo(Instant.ofEpochMilli(1795000000000L));
  }

  @Test
  void nonsenseGetsAClearMessage() {
    assertThatThrownBy(() -> TimeSpec.past("last tuesday", clock))
        .hasMessageStartingWith("'last tuesday' is not a time");
    assertThatThrownBy(() -> TimeSpec.duration("soon"))
        .hasMessageStartingWith("'soon' is not a duration");
    assertThat(TimeSpec.duration("10m")).isEqualTo(Duration.ofMinutes(10));
  }
}
