package io.renderrelay.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.e2e.demo.ProgressLine.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  static Progress at(int completed, long millis) {
    return new Progress(6, 6, 6 - completed, completed, 0, Duration.ofMillis(millis));
  }

  @Test
  void formatsCountsBarAndElapsed() {
    assertThat(ProgressLine.format(new Progress(6, 6, 3, 2, 1, Duration.ofMillis(12_345))))
        .isEqualTo(
            "demo [##########..........] 3/6 done | submitted 6  polling 3  completed 2  failed 1"
                + " | 12.3s");
    assertThat(ProgressLine.format(new Progress(0, 0, 0, 0, 0, Duration.ZERO)))
        .startsWith("demo [....................] 0/0 done");
  }

  @Test
  void onATerminalRedrawsOneLineAndClearsLeftovers() {
    ProgressLine p = new ProgressLine(err, true, Duration.ofSeconds(3));
    p.update(new Progress(6, 6, 6, 0, 0, Duration.ofMillis(123_456)));
    p.update(at(1, 200));
    p.finish(at(6, 300));
    String s = bytes.toString(StandardCharsets.UTF_8);
    assertThat(s).startsWith("\r").doesNotContain("\n\r").endsWith("\n");
    assertThat(s.split("\r")).hasSize(4);
    String second = s.split("\r")[2];
    assertThat(second).endsWith("0.2s  ");
  }

  @Test
  void elsewherePrintsALineEveryIntervalOnly() {
    ProgressLine p = new ProgressLine(err, false, Duration.ofSeconds(3));
    p.update(at(0, 0));
    p.update(at(1, 1_000));
    p.update(at(2, 2_999));
    p.update(at(3, 3_000));
    p.finish(at(6, 3_100));
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList())
        .hasSize(3)
        .satisfiesExactly(
            l -> assertThat(l).contains("0/6 done").endsWith("0.0s"),
            l -> assertThat(l).contains("3/6 done").endsWith("3.0s"),
            l -> assertThat(l).contains("6/6 done").endsWith("3.1s"));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
  }
}
