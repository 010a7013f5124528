package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartMathTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void countsParts() {
    assertThat(PartMath.partCount(0, 5 * MIB)).isEqualTo(1);
    assertThat(PartMath.partCount(1, 5 * MIB)).isEqualTo(1);
    assertThat(PartMath.partCount(5 * MIB, 5 * MIB)).isEqualTo(1);
    assertThat(PartMath.partCount(5 * MIB + 1, 5 * MIB)).isEqualTo(2);
    assertThat(PartMath.partCount(23 * MIB, 5 * MIB)).isEqualTo(5);
    assertThat(PartMath.partCount(1024 * MIB, 8 * MIB)).isEqualTo(128);
  }

  @Test
  void lastPartCarriesTheRemainder() {
    assertThat(PartMath.partLength(23 * MIB, 5 * MIB, 1)).isEqualTo(5 * MIB);
    assertThat(PartMath.partLength(23 * MIB, 5 * MIB, 4)).isEqualTo(5 * MIB);
    assertThat(PartMath.partLength(23 * MIB, 5 * MIB, 5)).isEqualTo(3 * MIB);
    assertThat(PartMath.partLength(10 * MIB, 5 * MIB, 2)).isEqualTo(5 * MIB);
    long sum = 0;
    for (int i = 1; i <= PartMath.partCount(23 * MIB + 7, 5 * MIB); i++) {
      sum += PartMath.partLength(23 * MIB + 7, 5 * MIB, i);
    }
    assertThat(sum).isEqualTo(23 * MIB + 7);
    assertThatThrownBy(() -> PartMath.partLength(23 * MIB, 5 * MIB, 6))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void smallerThanOnePartIsASinglePut() {
    assertThat(PartMath.isSinglePut(5 * MIB - 1, 5 * MIB)).isTrue();
    assertThat(PartMath.isSinglePut(5 * MIB, 5 * MIB)).isFalse();
  }

  @Test
  void validatesConfiguration() {
    assertThatCode(() -> PartMath.requireValid(8 * MIB, 1024 * MIB)).doesNotThrowAnyException();
    assertThatThrownBy(() -> PartMath.requireValid(4 * MIB, 1024 * MIB))
        .hasMessageContaining("must be between");
    assertThatThrownBy(() -> PartMath.requireValid(5 * MIB, 6L * 1024 * MIB))
        .hasMessageContaining("5 GiB");
    // 5 GiB in 5 MiB parts is 1024 parts: fine; the 10 000 limit needs a smaller part size.
    assertThat(PartMath.partCount(5L * 1024 * MIB, 5 * MIB)).isLessThanOrEqualTo(10_000);
  }
}
