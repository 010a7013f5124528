package io.renderrelay.e2e.demo;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.client.RenderEventHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a downstream service sees of the demo's jobs: receives terminal events from a {@code
 * RenderEventListener}, keeps the first one per submitted job and counts repeats. Events of jobs it
 * was not told about are ignored. Thread-safe.
 */
public final class JobTracker implements RenderEventHandler {

  /** A job's terminal event, if it has one. */
  public sealed interface Outcome {
    /** The job's render is in S3. */
    record Completed(RenderCompleted event) implements Outcome {}

    /** The job ended without a render. */
    record Failed(RenderFailed event) implements Outcome {}
  }

  private final Set<String> submitted = ConcurrentHashMap.newKeySet();
  private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> eventCounts = new ConcurrentHashMap<>();

  /** Registers a job before it is published, so its events are kept. */
  public void submitted(String jobId) {
    submitted.add(jobId);
  }

  @Override
  public void onCompleted(RenderCompleted event) {
    record(event.getJobId(), new Outcome.Completed(event));
  }

  @Override
  public void onFailed(RenderFailed event) {
    record(event.getJobId(), new Outcome.Failed(event));
  }

  private void record(String jobId, Outcome outcome) {
    if (!submitted.contains(jobId)) {
      return;
    }
    eventCounts.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
    outcomes.putIfAbsent(jobId, outcome);
  }

  /** The first terminal event of a job. */
  public Optional<Outcome> outcome(String jobId) {
    return Optional.ofNullable(outcomes.get(jobId));
  }

  /** Whether a job has a terminal event. */
  public boolean isTerminal(String jobId) {
    return outcomes.containsKey(jobId);
  }

  /** Jobs with a {@code RenderCompleted}. */
  public int completed() {
    return (int) outcomes.values().stream().filter(o -> o instanceof Outcome.Completed).count();
  }

  /** Jobs with a {@code RenderFailed}. */
  public int failed() {
    return (int) outcomes.values().stream().filter(o -> o instanceof Outcome.Failed).count();
  }

  /** Jobs registered so far. */
  int submittedCount() {
    return submitted.size();
  }

  /** Jobs that received more than one terminal event (the listener delivers at least once). */
  List<String> repeated() {
    return eventCounts.entrySet().stream()
        .filter(e -> e.getValue().get() > 1)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
