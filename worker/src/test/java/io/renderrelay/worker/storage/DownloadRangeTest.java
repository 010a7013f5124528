package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The total length of a ranged answer, read from its Content-Range header. */
class DownloadRangeTest {

  @Test
  void readsTheTotalOfAContentRange() {
    assertThat(Download.rangeTotal(Optional.of("bytes 0-65535/3145728")))
        .isEqualTo(OptionalLong.of(3_145_728));
    assertThat(Download.rangeTotal(Optional.of("BYTES 10-19/20 "))).isEqualTo(OptionalLong.of(20));
  }

  @Test
  void anUnknownMissingOrMalformedTotalIsEmpty() {
    for (String v : new String[] {"bytes 0-9/*", "0-9/100", "bytes 0-9", "bytes 0-9/x", ""}) {
      assertThat(Download.rangeTotal(Optional.of(v))).as(v).isEmpty();
    }
    assertThat(Download.rangeTotal(Optional.empty())).isEmpty();
  }

  @Test
  void readsTheFirstByteOfAContentRangeAndNothingFromAMalformedOne() {
    assertThat(Download.rangeFirst(Optional.of("bytes 65536-131071/3145728")))
        .isEqualTo(OptionalLong.of(65_536));
    assertThat(Download.rangeFirst(Optional.of("BYTES 0-19/20 "))).isEqualTo(OptionalLong.of(0));
    for (String v : new String[] {"bytes */100", "0-9/100", "bytes -9/100", "bytes x-9/10", ""}) {
      assertThat(Download.rangeFirst(Optional.of(v))).as(v).isEmpty();
    }
    assertThat(Download.rangeFirst(Optional.empty())).isEmpty();
  }
}
