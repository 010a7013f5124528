package io.renderrelay.e2e.chaos;

import io.renderrelay.e2e.WorkerProcess;
import io.renderrelay.e2e.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker processes of a chaos run: one consumer group, one instance id each (kept across
 * restarts, so a restarted worker fences its killed predecessor's transactions). A killed worker is
 * started again in the background after its downtime; at most one process per instance runs.
 */
final class WorkerFleet implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerFleet.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final int START_ATTEMPTS = 3;

  /** One instance: its settings, its current process, whether that process said READY. */
  private static final class Slot {
    final WorkerSettings settings;
    WorkerProcess process;
    boolean ready;
    boolean retired;
    long readySince;
    Thread restarter;

    Slot(WorkerSettings settings) {
      this.settings = settings;
    }
  }

  private final List<Slot> slots = new CopyOnWriteArrayList<>();
  private final Path logDir;
  private final String heap;
  private final AtomicInteger starts = new AtomicInteger();
  private volatile boolean closed;

  public WorkerFleet(List<WorkerSettings> settings, Path logDir, String heap) {
    settings.forEach(s -> slots.add(new Slot(s)));
    this.logDir = logDir;
    this.heap = heap;
  }

  /** Starts the first worker (it creates the topics), then the others, and waits for all. */
  public void startAll() throws Exception {
    start(0);
    for (int i = 1; i < slots.size(); i++) {
      restartLater(i, Duration.ZERO);
    }
    awaitAllReady(READY_TIMEOUT.multipliedBy(2));
  }

  /** Starts instance {@code idx} and waits for its READY line; retried on an early exit. */
  private void start(int idx) throws Exception {
    Exception last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS && !closed; attempt++) {
      Path log = logDir.resolve(instanceId(idx) + "-" + starts.incrementAndGet() + ".log");
      WorkerSettings ws = slots.get(idx).settings;
      WorkerProcess p =
          WorkerProcess.start(ws.asEnvironment(), ws.jvmOptions(), ws.classpathFirst(), log, heap);
      synchronized (this) {
        slots.get(idx).process = p;
      }
      try {
        p.awaitReady(READY_TIMEOUT);
        synchronized (this) {
          slots.get(idx).ready = true;
          slots.get(idx).readySince = System.nanoTime();
        }
        LOG.info("worker {} ready (pid {}, log {})", instanceId(idx), p.pid(), log);
        return;
      } catch (IllegalStateException e) {
        LOG.warn(
            "worker {} did not start (attempt {}): {}", instanceId(idx), attempt, e.getMessage());
        p.kill();
        last = e;
      }
    }
    throw last != null ? last : new IllegalStateException("fleet closed");
  }

  /** The instance id of worker {@code idx} (also its consumer's client id suffix). */
  public String instanceId(int idx) {
    return slots.get(idx).settings.instanceId();
  }

  /** Adds a worker, as a Deployment does when it starts a pod, and waits for its READY line. */
  public int add(WorkerSettings s) throws Exception {
    int idx;
    synchronized (this) {
      slots.add(new Slot(s));
      idx = slots.size() - 1;
    }
    start(idx);
    return idx;
  }

  /**
   * SIGTERM to worker {@code idx}, as Kubernetes does to a pod it removes; waits for the process to
   * exit and returns its exit code (0: drained, 1: the grace period ended the drain). The worker is
   * not started again.
   */
  public int terminate(int idx, Duration timeout) throws InterruptedException {
    WorkerProcess p;
    synchronized (this) {
      Slot s = slots.get(idx);
      s.retired = true;
      s.ready = false;
      p = s.process;
    }
    int code = p.terminate(timeout);
    LOG.info("terminated {} (pid {}): exit code {}", instanceId(idx), p.pid(), code);
    return code;
  }

  /** SIGSTOP to worker {@code idx}. */
  public void suspend(int idx) throws InterruptedException {
    process(idx).suspend();
    LOG.info("suspended {} (SIGSTOP)", instanceId(idx));
  }

  /** SIGCONT to worker {@code idx}. */
  public void resume(int idx) throws InterruptedException {
    process(idx).resume();
    LOG.info("resumed {} (SIGCONT)", instanceId(idx));
  }

  /** The log file of worker {@code idx}'s current process. */
  public Path log(int idx) {
    return process(idx).log();
  }

  private synchronized WorkerProcess process(int idx) {
    return slots.get(idx).process;
  }

  public synchronized int size() {
    return slots.size();
  }

  /** True while worker {@code idx} runs and has said READY. */
  public synchronized boolean isReady(int idx) {
    Slot s = slots.get(idx);
    return s.ready && s.process != null && s.process.alive();
  }

  /**
   * {@code preferred} if it has been ready for {@code minUptime} (long enough to have joined the
   * group and taken work), else the next such worker.
   */
  public synchronized Optional<Integer> readyVictim(int preferred, Duration minUptime) {
    for (int k = 0; k < slots.size(); k++) {
      int idx = (preferred + k) % slots.size();
      if (isReady(idx) && System.nanoTime() - slots.get(idx).readySince >= minUptime.toNanos()) {
        return Optional.of(idx);
      }
    }
    return Optional.empty();
  }

  /**
   * SIGKILLs worker {@code idx} if it is ready, and starts it again after {@code downtime} in the
   * background; false (nothing done) when it was not ready.
   */
  public boolean killAndRestart(int idx, Duration downtime) throws InterruptedException {
    WorkerProcess p;
    synchronized (this) {
      if (!isReady(idx)) {
        return false;
      }
      slots.get(idx).ready = false;
      p = slots.get(idx).process;
    }
    p.kill();
    LOG.info("killed {} (pid {})", instanceId(idx), p.pid());
    restartLater(idx, downtime);
    return true;
  }

  private synchronized void restartLater(int idx, Duration downtime) {
    slots.get(idx).restarter =
        Thread.ofVirtual()
            .name("restart-" + instanceId(idx))
            .start(
                () -> {
                  try {
                    Thread.sleep(downtime);
                    start(idx);
                  } catch (Exception e) {
                    LOG.error("starting {} failed: {}", instanceId(idx), e.toString());
                  }
                });
  }

  /** Waits for pending restarts; starts any worker that is still not running. */
  public void awaitAllReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < size(); i++) {
      Thread t;
      synchronized (this) {
        t = slots.get(i).restarter;
      }
      if (t != null) {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      }
      if (!isReady(i) && !slots.get(i).retired) {
        LOG.warn("worker {} is not running; starting it", instanceId(i));
        start(i);
      }
    }
  }

  /** How many worker JVMs were started in all. */
  public int starts() {
    return starts.get();
  }

  /** Kills every worker (the run is over; nothing is left to drain). */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    List<WorkerProcess> running = new ArrayList<>();
    synchronized (this) {
      slots.forEach(s -> running.add(s.process));
    }
    for (WorkerProcess p : running) {
      if (p != null) {
        p.kill();
      }
    }
  }
}
