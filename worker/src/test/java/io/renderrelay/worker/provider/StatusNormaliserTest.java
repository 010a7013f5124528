package io.renderrelay.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusNormaliserTest {

  private final StatusNormaliser normaliser = new StatusNormaliser();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // classic codes and state
    "0, PENDING",
    "1, RUNNING",
    "2, FAILED",
    "3, SUCCEEDED",
    "succeeded, SUCCEEDED",
    // newer gateway
    "QUEUED, PENDING",
    "IN_PROGRESS, RUNNING",
    "SUCCESS, SUCCEEDED",
    "FAILURE, FAILED",
    "NOT_START, PENDING",
    "SUBMITTED, PENDING",
    // Runway's own
    "PENDING, PENDING",
    "THROTTLED, PENDING",
    "RUNNING, RUNNING",
    "SUCCEEDED, SUCCEEDED",
    "FAILED, FAILED",
    "CANCELLED, CANCELLED",
    "CANCELED, CANCELLED",
    // case and blanks
    "' in_progress ', RUNNING",
    "processing, RUNNING"
  })
  void knownStatuses(String raw, TaskStatus expected) {
    assertThat(normaliser.normalise(raw)).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  ", "4", "-1", "WARMING_UP", "done", "SUCCEEDED!"})
  void unknownIsUnknownNeverAnException(String raw) {
    assertThat(normaliser.normalise(raw)).isEqualTo(TaskStatus.UNKNOWN);
    assertThat(TaskStatus.UNKNOWN.terminal()).isFalse();
  }
}
