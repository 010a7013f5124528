package io.renderrelay.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineListenersTest {

  @Test
  void everyListenerHearsEveryEventEvenWhenOneThrows() {
    List<String> heard = new ArrayList<>();
    PipelineListener failing =
        new PipelineListener() {
          @Override
          public void pollLateness(String topic, Duration late) {
            throw new IllegalStateException("boom");
          }
        };
    PipelineListener recording =
        new PipelineListener() {
          @Override
          public void pollLateness(String topic, Duration late) {
            heard.add("late " + topic + " " + late.toMillis());
          }

          @Override
          public void lag(String topic, long records) {
            heard.add("lag " + topic + " " + records);
          }

          @Override
          public void transactionCommitted(int records, int offsets, Duration took) {
            heard.add("tx " + records + " " + offsets);
          }
        };
    PipelineListener fanOut = PipelineListeners.of(failing, recording);

    fanOut.pollLateness("render.poll.1s", Duration.ofMillis(12));
    fanOut.lag("render.poll.1s", 7);
    fanOut.transactionCommitted(3, 2, Duration.ofMillis(5));

    assertThat(heard).containsExactly("late render.poll.1s 12", "lag render.poll.1s 7", "tx 3 2");
  }
}
