package io.renderrelay.devstack.simulator;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What the simulator has seen and done; thread-safe, resettable. */
final class Counters {
  private final Map<String, AtomicInteger> paid = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final LongAdder submits = new LongAdder();
  private final LongAdder polls = new LongAdder();
  private final LongAdder downloads = new LongAdder();
  private final LongAdder callbacks = new LongAdder();
  private final Map<String, LongAdder> pollAnswers = new ConcurrentHashMap<>();
  private final Set<String> endSeen = ConcurrentHashMap.newKeySet();
  private final LongAdder repeatEndPolls = new LongAdder();

  void paidSubmission(String jobId) {
    paid.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
  }

  void submit() {
    submits.increment();
  }

  void poll() {
    polls.increment();
  }

  /**
   * A poll answered with the task in {@code phase}; a second answer that the task ended counts as a
   * repeat (the worker asked again about a task it had already seen end).
   */
  void pollAnswered(String taskId, TaskPhase phase) {
    pollAnswers.computeIfAbsent(phaseName(phase), k -> new LongAdder()).increment();
    boolean ended = phase instanceof TaskPhase.Succeeded || phase instanceof TaskPhase.Failed;
    if (ended && !endSeen.add(taskId)) {
      repeatEndPolls.increment();
    }
  }

  private static String phaseName(TaskPhase phase) {
    return switch (phase) {
      case TaskPhase.NotVisible n -> "not-visible";
      case TaskPhase.Queued q -> "queued";
      case TaskPhase.Running r -> "running";
      case TaskPhase.Succeeded s -> "succeeded";
      case TaskPhase.Failed f -> "failed";
    };
  }

  /** Polls per phase the task was in when answered, and {@code repeat-end}: see pollAnswered. */
  Map<String, Long> pollAnswers() {
    Map<String, Long> out = new TreeMap<>();
    pollAnswers.forEach((k, v) -> out.put(k, v.sum()));
    out.put("repeat-end", repeatEndPolls.sum());
    return out;
  }

  void download() {
    downloads.increment();
  }

  void callbackSent() {
    callbacks.increment();
  }

  void request(String endpoint, int status) {
    requests.computeIfAbsent(endpoint + " " + status, k -> new LongAdder()).increment();
  }

  Map<String, Integer> paidSubmissions() {
    Map<String, Integer> out = new TreeMap<>();
    paid.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  Map<String, Long> requestsByEndpointAndStatus() {
    Map<String, Long> out = new TreeMap<>();
    requests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  long submits() {
    return submits.sum();
  }

  long polls() {
    return polls.sum();
  }

  long downloads() {
    return downloads.sum();
  }

  long callbacksSent() {
    return callbacks.sum();
  }

  void reset() {
    paid.clear();
    requests.clear();
    submits.reset();
    polls.reset();
    downloads.reset();
    callbacks.reset();
    pollAnswers.clear();
    endSeen.clear();
    repeatEndPolls.reset();
  }
}
