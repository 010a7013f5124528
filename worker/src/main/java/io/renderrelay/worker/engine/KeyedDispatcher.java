package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs steps on virtual threads with one rule: the steps of one key (jobId) run one at a time, in
 * arrival order, and a key stays busy until its last step's effects are committed. Every method but
 * the worker threads' completion hand-off is called from the loop thread.
 */
public final class KeyedDispatcher implements AutoCloseable {

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("rr-dispatch-timer").unstarted(r));
  private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final Queue<Work> ready = new ConcurrentLinkedQueue<>();
  private final Map<String, ArrayDeque<Work>> busy = new HashMap<>();
  private int running;
  private int parked;

  /** Takes a new record's work: starts it now, or queues it behind its key's current work. */
  public void submit(Work work) {
    ArrayDeque<Work> queue = busy.get(work.key());
    if (queue != null) {
      queue.add(work);
      return;
    }
    busy.put(work.key(), new ArrayDeque<>());
    run(work);
  }

  /** Continues a key's work after its previous step committed (key stays busy). */
  public void continueWith(Work work, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      run(work);
      return;
    }
    parked++;
    timer.schedule(() -> ready.add(work), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The key's work is finished: start the next queued work of the key, if any. */
  public void release(String key) {
    ArrayDeque<Work> queue = busy.get(key);
    if (queue == null) {
      return;
    }
    Work next = queue.poll();
    if (next == null) {
      busy.remove(key);
    } else {
      run(next);
    }
  }

  /** Starts continuations whose delay has passed. */
  public void startReady() {
    Work w;
    while ((w = ready.poll()) != null) {
      parked--;
      run(w);
    }
  }

  /** Completions since the last call. */
  public List<Completion> drain() {
    List<Completion> out = new ArrayList<>();
    Completion c;
    while ((c = completions.poll()) != null) {
      running--;
      out.add(c);
    }
    return out;
  }

  /** Steps running or waiting for their delay. */
  public int inFlight() {
    return running + parked;
  }

  /** Work waiting behind a busy key. */
  public int queued() {
    return busy.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  /** Whether the key has work running, queued or waiting for its commit. */
  public boolean isBusy(String key) {
    return busy.containsKey(key);
  }

  /** Keys with work in progress. */
  public int busyKeys() {
    return busy.size();
  }

  /** Forgets every key (after a revoke); results of running steps will be dropped by generation. */
  public void reset() {
    busy.clear();
    ready.clear();
    parked = 0;
  }

  private void run(Work work) {
    running++;
    executor.execute(
        () -> {
          try {
            completions.add(new Completion(work, work.step().run(), null));
          } catch (Throwable t) {
            completions.add(new Completion(work, null, t));
          }
        });
  }

  @Override
  public void close() {
    timer.shutdownNow();
    executor.shutdownNow();
  }
}
