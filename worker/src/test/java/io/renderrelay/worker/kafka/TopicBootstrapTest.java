package io.renderrelay.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

class TopicBootstrapTest {

  private static final long FAR = Long.MAX_VALUE;

  @Test
  void aTopicJustCreatedButNotYetKnownIsDescribedAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String out =
        TopicBootstrap.whileUnknown(
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new ExecutionException(new UnknownTopicOrPartitionException("not yet"));
              }
              return "described";
            },
            FAR,
            Duration.ZERO);
    assertThat(out).isEqualTo("described");
    assertThat(calls).hasValue(3);
  }

  @Test
  void otherErrorsAndTheDeadlineEndTheRetries() {
    assertThatThrownBy(
            () ->
                TopicBootstrap.whileUnknown(
                    () -> {
                      throw new ExecutionException(new TopicAuthorizationException("no"));
                    },
                    FAR,
                    Duration.ZERO))
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(
            () ->
                TopicBootstrap.whileUnknown(
                    () -> {
                      throw new ExecutionException(new UnknownTopicOrPartitionException("gone"));
                    },
                    System.nanoTime() - 1,
                    Duration.ZERO))
        .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
  }
}
