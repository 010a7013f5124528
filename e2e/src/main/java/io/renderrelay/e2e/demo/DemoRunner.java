package io.renderrelay.e2e.demo;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.client.RenderCommandPublisher;
import io.renderrelay.client.Submitted;
import io.renderrelay.e2e.demo.DemoJobs.DemoJob;
import io.renderrelay.e2e.demo.JobTracker.Outcome;
import io.renderrelay.e2e.demo.ProgressLine.Progress;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Runs the demo's jobs: publishes them through the client's typed publisher, shows the progress
 * until every job has a terminal event or the timeout passes, checks each render's size in S3 and
 * prints the table of jobs on {@code out}.
 */
public final class DemoRunner {

  /**
   * The end of a run.
   *
   * @param planned jobs the demo meant to publish
   * @param submitted jobs the broker acknowledged
   * @param completed jobs with a {@code RenderCompleted}
   * @param failed jobs with a {@code RenderFailed}
   * @param lost submitted jobs without a terminal event by the timeout, nor held by the budget
   * @param held submitted jobs the budget guard holds back at the end (not lost: they wait)
   * @param notInS3 completed jobs whose video is missing in S3 or has another size than the event
   * @param elapsed from the first publish to the end of the wait
   * @param layout where the renders are in the bucket (see {@link ResultTable#layout}), empty when
   *     none completed
   */
  public record Result(
      int planned,
      int submitted,
      int completed,
      int failed,
      List<String> lost,
      List<String> held,
      List<String> notInS3,
      Duration elapsed,
      Optional<String> layout) {

    /** Every job was published, has a terminal event, and every render is in S3. */
    public boolean ok() {
      return submitted == planned && lost.isEmpty() && notInS3.isEmpty();
    }
  }

  /**
   * How the runner looks at the world around it.
   *
   * @param polling how many of these jobs the provider accepted and have no terminal event yet
   * @param objectSize the size of an S3 object by key, empty when it does not exist
   * @param listenerFailure why the event listener stopped, if it did
   * @param held the jobs the worker's budget guard holds back (unpaid, waiting), issue 14
   */
  public record Probes(
      ToIntFunction<Collection<String>> polling,
      Function<String, OptionalLong> objectSize,
      Supplier<Optional<Throwable>> listenerFailure,
      Supplier<Set<String>> held) {

    /** Probes of a run without a budget: nothing is ever held. */
    public Probes(
        ToIntFunction<Collection<String>> polling,
        Function<String, OptionalLong> objectSize,
        Supplier<Optional<Throwable>> listenerFailure) {
      this(polling, objectSize, listenerFailure, Set::of);
    }
  }

  /** How long every job must stay ended or held before a budget-bound run stops waiting. */
  private static final Duration SETTLED = Duration.ofSeconds(2);

  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

  private final RenderCommandPublisher publisher;
  private final JobTracker tracker;
  private final Probes probes;
  private final ProgressLine progress;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final Duration tick;

  /**
   * Creates the runner.
   *
   * @param publisher sends the commands
   * @param tracker receives the terminal events (from a listener started by the caller)
   * @param probes the provider, S3 and listener views
   * @param progress the live progress line
   * @param out where the table goes
   * @param err where publish failures go
   * @param clock time source of the elapsed time and the timeout
   * @param tick how often the progress is refreshed
   */
  public DemoRunner(
      RenderCommandPublisher publisher,
      JobTracker tracker,
      Probes probes,
      ProgressLine progress,
      PrintStream out,
      PrintStream err,
      Clock clock,
      Duration tick) {
    this.publisher = publisher;
    this.tracker = tracker;
    this.probes = probes;
    this.progress = progress;
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.tick = tick;
  }

  /** Publishes the jobs, waits for their terminal events (at most {@code timeout}), reports. */
  public Result run(List<DemoJob> jobs, Duration timeout) throws InterruptedException {
    Instant start = clock.instant();
    AtomicInteger acked = new AtomicInteger();
    List<CompletableFuture<Submitted>> sends = new ArrayList<>();
    for (DemoJob job : jobs) {
      tracker.submitted(job.jobId());
      CompletableFuture<Submitted> f =
          job.type() == JobType.RESTYLE
              ? publisher.submitRestyle(DemoJobs.restyle(job))
              : publisher.submitActOne(DemoJobs.actOne(job));
      sends.add(f.thenApply(s -> count(acked, s)));
    }
    List<String> unsent = awaitSends(jobs, sends);
    List<String> ids =
        jobs.stream().map(DemoJob::jobId).filter(id -> !unsent.contains(id)).toList();
    Instant deadline = start.plus(timeout);
    Instant settledSince = null;
    while (!allTerminal(ids) && clock.instant().isBefore(deadline)) {
      failOnListenerError();
      settledSince =
          endedOrHeld(ids) ? (settledSince == null ? clock.instant() : settledSince) : null;
      if (settledSince != null && !clock.instant().isBefore(settledSince.plus(SETTLED))) {
        break; // the rest waits for the budget: nothing more happens until it is raised
      }
      progress.update(progress(jobs.size(), acked.get(), ids, start));
      Thread.sleep(tick.toMillis());
    }
    progress.finish(progress(jobs.size(), acked.get(), ids, start));
    return report(jobs, ids, acked.get(), Duration.between(start, clock.instant()));
  }

  private static Submitted count(AtomicInteger acked, Submitted s) {
    acked.incrementAndGet();
    return s;
  }

  private List<String> awaitSends(List<DemoJob> jobs, List<CompletableFuture<Submitted>> sends)
      throws InterruptedException {
    List<String> unsent = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      try {
        sends.get(i).get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        err.println("demo: publishing " + jobs.get(i).jobId() + " failed: " + cause);
        unsent.add(jobs.get(i).jobId());
      }
    }
    return unsent;
  }

  /** Every job has ended or is held by the budget guard, and at least one is held. */
  private boolean endedOrHeld(List<String> ids) {
    Set<String> held = probes.held().get();
    return !held.isEmpty()
        && ids.stream().allMatch(id -> tracker.isTerminal(id) || held.contains(id));
  }

  private boolean allTerminal(List<String> ids) {
    return ids.stream().allMatch(tracker::isTerminal);
  }

  private void failOnListenerError() {
    probes
        .listenerFailure()
        .get()
        .ifPresent(
            t -> {
              throw new IllegalStateException("the event listener stopped: " + t, t);
            });
  }

  private Progress progress(int total, int submitted, List<String> ids, Instant start) {
    return new Progress(
        total,
        submitted,
        probes.polling().applyAsInt(ids),
        tracker.completed(),
        tracker.failed(),
        Duration.between(start, clock.instant()));
  }

  private Result report(List<DemoJob> jobs, List<String> ids, int submitted, Duration elapsed) {
    List<ResultTable.Row> rows = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    List<String> held = new ArrayList<>();
    Set<String> heldNow = probes.held().get();
    List<String> notInS3 = new ArrayList<>();
    List<RenderCompleted> completed = new ArrayList<>();
    for (DemoJob job : jobs) {
      Optional<Outcome> outcome = tracker.outcome(job.jobId());
      boolean isHeld = outcome.isEmpty() && heldNow.contains(job.jobId());
      rows.add(isHeld ? ResultTable.held(job) : ResultTable.row(job, outcome));
      if (outcome.isEmpty() && ids.contains(job.jobId())) {
        (isHeld ? held : lost).add(job.jobId());
      }
      if (outcome.orElse(null) instanceof Outcome.Completed(var e)) {
        completed.add(e);
        OptionalLong size = probes.objectSize().apply(e.getVideo().getKey());
        if (size.isEmpty() || size.getAsLong() != e.getVideo().getSizeBytes()) {
          notInS3.add(job.jobId());
        }
      }
    }
    ResultTable.format(rows).forEach(out::println);
    out.flush();
    return new Result(
        jobs.size(),
        submitted,
        tracker.completed(),
        tracker.failed(),
        List.copyOf(lost),
        List.copyOf(held),
        List.copyOf(notInS3),
        elapsed,
        ResultTable.layout(completed));
  }
}
