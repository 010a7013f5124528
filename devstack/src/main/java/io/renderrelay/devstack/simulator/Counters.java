package io.renderrelay.devstack.simulator;

import java.util.Map;
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

  void paidSubmission(String jobId) {
    paid.computeIfAbsent(jobId, k -> new AtomicInteger()).incrementAndGet();
  }

  void submit() {
    submits.increment();
  }

  void poll() {
    polls.increment();
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
  }
}
