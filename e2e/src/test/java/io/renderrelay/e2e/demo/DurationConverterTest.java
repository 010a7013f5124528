package io.renderrelay.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  final DurationConverter c = new DurationConverter();

  @Test
  void readsPlainSecondsUnitsAndIso() {
    assertThat(c.convert("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(c.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void refusesAnythingElseWithAHint() {
    assertThatThrownBy(() -> c.convert("soon"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'soon'")
        .hasMessageContaining("90s");
  }
}
