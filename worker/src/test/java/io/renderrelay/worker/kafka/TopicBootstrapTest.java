package io.renderrelay.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/**
 * The describe right after CreateTopics may not find the new topics yet (seen on a fresh broker).
 */
class TopicBootstrapTest {

  final AtomicInteger calls = new AtomicInteger();

  TopicBootstrap.AdminCall<String> failingFirst(int failures, RuntimeException cause) {
    return () -> {
      if (calls.incrementAndGet() <= failures) {
        throw new ExecutionException(cause);
      }
      return "described";
    };
  }

  @Test
  void describesAgainWhileTheNewTopicsAreUnknown() throws Exception {
    String result =
        TopicBootstrap.whileUnknown(
            failingFirst(3, new UnknownTopicOrPartitionException("not yet")), 50, Duration.ZERO);
    assertThat(result).isEqualTo("described");
    assertThat(calls).hasValue(4);
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheBrokersAnswer() {
    assertThatThrownBy(
            () ->
                TopicBootstrap.whileUnknown(
                    failingFirst(100, new UnknownTopicOrPartitionException("still unknown")),
                    5,
                    Duration.ZERO))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("still unknown");
    assertThat(calls).hasValue(5);
  }

  @Test
  void otherFailuresAreNotRetried() {
    assertThatThrownBy(
            () ->
                TopicBootstrap.whileUnknown(
                    failingFirst(100, new TopicAuthorizationException("denied")),
                    50,
                    Duration.ZERO))
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    assertThat(calls).hasValue(1);
  }
}
