package io.renderrelay.worker.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.renderrelay.worker.storage.CopyException;

/**
 * Coverage-guided fuzzing of the header parsers with arbitrary bytes read as an image (whole file
 * and head) and as an MP4. Allowed outcomes: a positive size or a {@link HeaderException} with a
 * message; anything else escaping (a runtime exception, a stack overflow, an out-of-memory) is a
 * finding. {@code mvn test} replays the empty seed; {@code scripts/chaos --fuzz} fuzzes longer.
 */
class MediaHeadersFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void readsASizeOrRefusesClearly(byte[] input) throws CopyException {
    for (boolean whole : new boolean[] {true, false}) {
      try {
        check(ImageHeaders.read(input, whole));
      } catch (HeaderException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
    try {
      check(Mp4Headers.read(ByteSource.of(input), 1 << 16));
    } catch (HeaderException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    MediaFormat.sniff(input);
  }

  private static void check(Dimensions d) {
    assertThat(d.width()).isPositive();
    assertThat(d.height()).isPositive();
  }
}
