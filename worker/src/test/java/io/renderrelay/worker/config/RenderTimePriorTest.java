package io.renderrelay.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RenderTimePriorTest {

  @Test
  void aBadPriorSaysWhatIsWrong() {
    assertThat(RenderTimePrior.parse("restyle:150s:480s,act-one:180s:720s")).hasSize(2);
    assertThat(RenderTimePrior.parse("")).isEmpty();
    assertThatThrownBy(() -> RenderTimePrior.parse("restyle:150s"))
        .hasMessageContaining("type:median:p95");
    assertThatThrownBy(() -> RenderTimePrior.parse("video:1s:2s"))
        .hasMessageContaining("unknown job type");
    assertThatThrownBy(() -> RenderTimePrior.parse("restyle:500s:480s"))
        .hasMessageContaining("median <= p95");
  }
}
