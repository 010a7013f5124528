package io.renderrelay.devstack.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs the task object to a task's callback_url once it has ended (and is visible). A sweeper
 * thread checks the pending tasks against the clock every 25 ms; sends are asynchronous, so no
 * request thread ever waits for a callback. Lost and duplicated callbacks follow the faults;
 * delivery failures are logged at debug and otherwise ignored.
 */
final class CallbackDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackDispatcher.class);

  private final SimulatorControl control;
  private final Clock clock;
  private final Dice dice;
  private final Duration timeout;
  private final boolean enabled;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private ScheduledExecutorService sweeper;

  CallbackDispatcher(SimulatorControl control, Clock clock, Dice dice, SimulatorConfig cfg) {
    this.control = control;
    this.clock = clock;
    this.dice = dice;
    this.timeout = cfg.callbackTimeout();
    this.enabled = cfg.callbacksEnabled();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(senders).build();
  }

  void track(SimTask task) {
    if (enabled) {
      pending.add(task.taskId());
    }
  }

  /** Tasks whose callback has not been fired (or dropped) yet. */
  int pendingCount() {
    return pending.size();
  }

  synchronized void start() {
    if (enabled && sweeper == null) {
      sweeper =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("sim-callbacks").unstarted(r));
      sweeper.scheduleWithFixedDelay(this::sweepSafely, 25, 25, TimeUnit.MILLISECONDS);
    }
  }

  /** Fires the callbacks of every pending task that has ended by now; returns how many tasks. */
  int sweep() {
    Instant now = clock.instant();
    int fired = 0;
    for (String id : pending) {
      SimTask task = control.store().get(id).orElse(null);
      if (task == null) {
        pending.remove(id);
      } else if (task.phaseAt(now).terminal() && pending.remove(id)) {
        fire(task, now);
        fired++;
      }
    }
    return fired;
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("callback sweep failed", e);
    }
  }

  private void fire(SimTask task, Instant now) {
    if (dice.roll(control.faults().loseCallbacks())) {
      log.debug("callback of task {} lost on purpose", task.taskId());
      return;
    }
    int copies = dice.roll(control.faults().duplicateCallbacks()) ? 2 : 1;
    byte[] body;
    try {
      body =
          JsonRoute.JSON.writeValueAsBytes(
              FeedAnswers.data(task, now, control.answerFormat(), control.outputBase()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("callback body of task " + task.taskId(), e);
    }
    for (int i = 0; i < copies; i++) {
      send(task, body);
    }
  }

  private void send(SimTask task, byte[] body) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(task.callbackUrl()))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
    } catch (IllegalArgumentException e) {
      log.debug("callback of task {} has an unusable URL", task.taskId());
      return;
    }
    control.counters().callbackSent();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (resp, err) -> {
              if (err != null) {
                log.debug("callback of task {} failed: {}", task.taskId(), err.toString());
              } else {
                log.debug("callback of task {} answered {}", task.taskId(), resp.statusCode());
              }
            });
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    http.shutdownNow();
    senders.shutdownNow();
  }
}
