package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs steps on virtual threads with one rule: the steps of one key (jobId) run one at a time, in
 * arrival order, and a key stays busy until its last step's effects are committed. Every method but
 * the worker threads' completion hand-off is called from the loop thread.
 *
 * <p>The dispatcher knows which partition each piece of work came from, so a partition that moves
 * is let go on its own: its continuations waiting for their delay are cancelled (their records stay
 * uncommitted for the next owner), its running steps are interrupted, and every count stays exact.
 */
public final class KeyedDispatcher implements AutoCloseable {

  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("rr-dispatch-timer").unstarted(r));
  private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final Queue<Work> ready = new ConcurrentLinkedQueue<>();
  private final Map<String, KeyState> keys = new HashMap<>();
  private final Map<Work, Future<?>> running = new IdentityHashMap<>();
  private final Map<Work, ScheduledFuture<?>> parked = new IdentityHashMap<>();
  private final Set<Work> abandoned = Collections.newSetFromMap(new IdentityHashMap<>());

  /** Takes a new record's work: starts it now, or queues it behind its key's current work. */
  public void submit(Work work) {
    KeyState state = keys.get(work.key());
    if (state != null) {
      state.queue.add(work);
      return;
    }
    keys.put(work.key(), new KeyState(work.source()));
    run(work);
  }

  /**
   * Continues a key's work after its previous step committed (key stays busy). A delayed
   * continuation of a partition being handed over is not parked: its record stays uncommitted and
   * the next owner takes it up from there.
   */
  public void continueWith(Work work, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      run(work);
      return;
    }
    if (work.lease().draining()) {
      release(work.key());
      return;
    }
    ScheduledFuture<?> timer =
        this.timer.schedule(() -> ready.add(work), delay.toMillis(), TimeUnit.MILLISECONDS);
    parked.put(work, timer);
  }

  /** The key's work is finished: start the next queued work of the key, if any. */
  public void release(String key) {
    KeyState state = keys.get(key);
    if (state == null) {
      return;
    }
    Work next;
    while ((next = state.queue.poll()) != null && next.lease().draining()) {
      // a record of a partition being handed over: left uncommitted for the next owner
    }
    if (next == null) {
      keys.remove(key);
    } else {
      state.current = next.source();
      run(next);
    }
  }

  /** Starts continuations whose delay has passed (and that were not cancelled meanwhile). */
  public void startReady() {
    Work w;
    while ((w = ready.poll()) != null) {
      if (parked.remove(w) != null) {
        run(w);
      }
    }
  }

  /** Completions since the last call, including those of abandoned steps (fenced by lease). */
  public List<Completion> drain() {
    List<Completion> out = new ArrayList<>();
    Completion c;
    while ((c = completions.poll()) != null) {
      if (running.remove(c.work()) != null || abandoned.remove(c.work())) {
        out.add(c);
      }
    }
    return out;
  }

  /** Steps running or waiting for their delay (abandoned steps not counted). */
  public int inFlight() {
    return running.size() + parked.size();
  }

  /** Steps running now for records of {@code partitions}. */
  public int running(Set<TopicPartition> partitions) {
    int n = 0;
    for (Work w : running.keySet()) {
      if (partitions.contains(w.source())) {
        n++;
      }
    }
    return n;
  }

  /** Steps interrupted after their partition moved that have not returned yet. */
  public int abandoned() {
    return abandoned.size();
  }

  /** Work waiting behind a busy key. */
  public int queued() {
    return keys.values().stream().mapToInt(s -> s.queue.size()).sum();
  }

  /** Whether the key has work running, queued or waiting for its commit. */
  public boolean isBusy(String key) {
    return keys.containsKey(key);
  }

  /** Keys with work in progress. */
  public int busyKeys() {
    return keys.size();
  }

  /**
   * Hands the partitions over at the start of a drain: continuations waiting for their delay are
   * cancelled and records queued behind a busy key are dropped (all stay uncommitted, so the next
   * owner runs them from their record). Running steps go on.
   */
  public void handOver(Set<TopicPartition> partitions) {
    List<String> waiting = cancelParked(partitions);
    keys.values().forEach(s -> s.queue.removeIf(w -> partitions.contains(w.source())));
    waiting.forEach(this::release);
  }

  /**
   * Lets the partitions go for good (revoked after their drain, lost, or stopped): running steps
   * are interrupted and their results will be dropped, continuations cancelled, queued records
   * dropped, and the keys they held are freed for the partitions still owned.
   */
  public void forget(Set<TopicPartition> partitions) {
    cancelParked(partitions);
    for (Iterator<Map.Entry<Work, Future<?>>> it = running.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Work, Future<?>> e = it.next();
      if (partitions.contains(e.getKey().source())) {
        e.getValue().cancel(true);
        abandoned.add(e.getKey());
        it.remove();
      }
    }
    List<String> freed = new ArrayList<>();
    keys.forEach(
        (key, state) -> {
          state.queue.removeIf(w -> partitions.contains(w.source()));
          if (partitions.contains(state.current)) {
            freed.add(key);
          }
        });
    freed.forEach(this::release);
  }

  /** Lets every partition go (a restart or a test). */
  public void reset() {
    Set<TopicPartition> all = new java.util.HashSet<>();
    running.keySet().forEach(w -> all.add(w.source()));
    parked.keySet().forEach(w -> all.add(w.source()));
    keys.values()
        .forEach(
            s -> {
              all.add(s.current);
              s.queue.forEach(w -> all.add(w.source()));
            });
    forget(all);
    keys.clear();
  }

  /** Cancels the parked continuations of {@code partitions}; returns the keys they held. */
  private List<String> cancelParked(Set<TopicPartition> partitions) {
    List<String> keysHeld = new ArrayList<>();
    for (Iterator<Map.Entry<Work, ScheduledFuture<?>>> it = parked.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Work, ScheduledFuture<?>> e = it.next();
      if (partitions.contains(e.getKey().source())) {
        e.getValue().cancel(false);
        keysHeld.add(e.getKey().key());
        it.remove();
      }
    }
    return keysHeld;
  }

  private void run(Work work) {
    KeyState state = keys.get(work.key());
    if (state != null) {
      state.current = work.source();
    }
    Future<?> f =
        executor.submit(
            () -> {
              try {
                completions.add(new Completion(work, work.step().run(), null));
              } catch (Throwable t) {
                completions.add(new Completion(work, null, t));
              }
            });
    running.put(work, f);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    executor.shutdownNow();
  }

  /** A busy key: the partition of its current work and the records queued behind it. */
  private static final class KeyState {
    private TopicPartition current;
    private final ArrayDeque<Work> queue = new ArrayDeque<>();

    private KeyState(TopicPartition current) {
      this.current = current;
    }
  }
}
