package io.renderrelay.worker.instance;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;

class FencingWatchTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final List<String> reports = new ArrayList<>();
  private final FencingWatch watch =
      new FencingWatch(clock, 3, Duration.ofMinutes(10), reports::add);

  @Test
  void oneFenceAfterAStallIsNotADuplicate() {
    watch.transactionFailed(new KafkaException("commit", new ProducerFencedException("fenced")));
    watch.transactionFailed(new IllegalStateException("broker away"));
    watch.transactionFailed(new IllegalStateException("broker away"));
    assertThat(reports).isEmpty();
  }

  @Test
  void fencesThatKeepComingAreReportedOnceAsADuplicateInstanceId() {
    for (int i = 0; i < 5; i++) {
      watch.transactionFailed(new KafkaException(new ProducerFencedException("fenced")));
      clock.advance(Duration.ofSeconds(30));
    }
    assertThat(reports).singleElement().asString().contains("same instance.id");
  }

  @Test
  void fencesFarApartAreNotADuplicate() {
    for (int i = 0; i < 5; i++) {
      watch.transactionFailed(new ProducerFencedException("fenced"));
      clock.advance(Duration.ofMinutes(6));
    }
    assertThat(reports).isEmpty();
  }
}
