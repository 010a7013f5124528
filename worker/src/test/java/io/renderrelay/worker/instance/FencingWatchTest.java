package io.renderrelay.worker.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;

class FencingWatchTest {

  private Instant now = Instant.parse("2026-11-25T10:00:00Z");
  private final List<String> reports = new ArrayList<>();
  private final FencingWatch watch =
      new FencingWatch(clock(), 3, Duration.ofMinutes(10), reports::add);

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
      now = now.plusSeconds(30);
    }
    assertThat(reports).singleElement().asString().contains("same instance.id");
  }

  @Test
  void fencesFarApartAreNotADuplicate() {
    for (int i = 0; i < 5; i++) {
      watch.transactionFailed(new ProducerFencedException("fenced"));
      now = now.plus(Duration.ofMinutes(6));
    }
    assertThat(reports).isEmpty();
  }

  private Clock clock() {
    return new Clock() {
      @Override
      public Instant instant() {
        return now;
      }

      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
  }
}
