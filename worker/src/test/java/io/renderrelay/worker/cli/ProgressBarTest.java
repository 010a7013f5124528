package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void rendersDoneTotalPercentAndRate() {
    long[] now = {0};
    ProgressBar bar = new ProgressBar(new PrintWriter(new StringWriter()), () -> now[0], 200);
    assertThat(bar.render(50, 20, 2_000_000_000L))
        .isEqualTo("[########......................] 50/200  25% sent=20 10.0/s");
  }

  @Test
  void redrawsAtMostTenTimesASecondAndEndsTheLine() {
    long[] now = {0};
    StringWriter sw = new StringWriter();
    ProgressBar bar = new ProgressBar(new PrintWriter(sw), () -> now[0], 10);
    bar.update(1, 1);
    now[0] += 50_000_000L;
    bar.update(2, 2);
    now[0] += 60_000_000L;
    bar.update(3, 3);
    bar.finish(10, 10);
    String s = sw.toString();
    assertThat(s.chars().filter(c -> c == '\r')).hasSize(3);
    assertThat(s).contains(" 3/10 ").doesNotContain(" 2/10 ").endsWith(System.lineSeparator());
    assertThat(s).contains("10/10 100%");
  }

  @Test
  void disabledDrawsNothing() {
    ProgressBar bar = ProgressBar.disabled();
    bar.update(1, 1);
    bar.finish(1, 1);
    assertThat(bar.drawn()).isFalse();
  }
}
