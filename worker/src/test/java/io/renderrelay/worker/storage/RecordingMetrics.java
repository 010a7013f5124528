package io.renderrelay.worker.storage;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** CopyMetrics that keeps every call, for assertions. */
final class RecordingMetrics implements CopyMetrics {
  record Finished(Outcome outcome, long bytes, Duration duration) {}

  final List<Finished> finished = new CopyOnWriteArrayList<>();
  final List<Duration> retries = new CopyOnWriteArrayList<>();

  @Override
  public void copyFinished(Outcome outcome, long bytes, Duration duration) {
    finished.add(new Finished(outcome, bytes, duration));
  }

  @Override
  public void retryScheduled(int failedAttempt, Duration delay) {
    retries.add(delay);
  }

  Outcome last() {
    return finished.getLast().outcome();
  }
}
