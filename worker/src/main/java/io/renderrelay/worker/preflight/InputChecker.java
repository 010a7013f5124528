package io.renderrelay.worker.preflight;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.worker.config.WorkerConfig.PreflightSettings;
import io.renderrelay.worker.job.state.JobCommand;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.storage.AddressFilter;
import io.renderrelay.worker.storage.HostAllowList;
import io.renderrelay.worker.storage.OutputUrlPolicy;
import io.renderrelay.worker.storage.SafeDownloader;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The pre-flight check of a job: each input URL of its command in turn (restyle: the source video;
 * act-one: the performance video and the character image, both 16:9). The first refusal decides; a
 * transient failure of any input makes the whole check transient.
 */
public final class InputChecker implements AutoCloseable {

  /**
   * Jobs checked at once, and the downloader's connections (a check reads its inputs one after the
   * other over one connection). A backlog of commands (hundreds of steps in flight) waits here, not
   * for a pooled connection, so a wait never counts as a transient failure and the input hosts see
   * at most this many requests from a replica.
   */
  static final int CONCURRENT_CHECKS = 16;

  /** How often a job waiting for its turn asks whether it is still wanted. */
  private static final Duration TURN_POLL = Duration.ofMillis(200);

  private final SafeDownloader downloader;
  private final InputCheck check;
  private final Semaphore running = new Semaphore(CONCURRENT_CHECKS, true);

  /** Over a downloader the caller built (tests: an injected resolver). */
  public InputChecker(SafeDownloader downloader, PreflightSettings settings) {
    this.downloader = downloader;
    this.check = new InputCheck(downloader, settings);
  }

  /**
   * The downloader the checks go through: the output copier's SSRF rules, with input URL rules:
   * https and public addresses only, unless {@code insecure} (development: http and loopback).
   */
  public static SafeDownloader downloader(PreflightSettings settings, boolean insecure) {
    Duration t = settings.timeout();
    return new SafeDownloader(
        new OutputUrlPolicy(
            !insecure,
            HostAllowList.of(List.of()),
            insecure ? AddressFilter.devMode() : AddressFilter.publicOnly()),
        // the stream limit is not the size rule: the check reads a few ranges and compares the
        // total itself, so a server that ignores ranges is not refused for the file's size
        new SafeDownloader.Limits(
            Long.MAX_VALUE / 4, t, t, settings.followRedirects() ? 3 : 0, CONCURRENT_CHECKS));
  }

  /**
   * Checks the job's inputs, waiting while {@link #CONCURRENT_CHECKS} other jobs are checked; a
   * wait ends with a Transient verdict as soon as the result is no longer {@code wanted}.
   */
  public Verdict check(JobState job, BooleanSupplier wanted) {
    try {
      while (!running.tryAcquire(TURN_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        if (!wanted.getAsBoolean()) {
          return new Verdict.Transient("no longer wanted while waiting to check the inputs");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the step's partition moved: the next owner checks
      return new Verdict.Transient("interrupted while waiting to check the inputs");
    }
    try {
      return checkInputs(job);
    } finally {
      running.release();
    }
  }

  private Verdict checkInputs(JobState job) {
    List<String> unchecked = new ArrayList<>();
    Verdict transientFailure = null;
    for (InputCheck.Input in : inputs(job)) {
      Verdict v = in.url() == null ? invalid(in.field()) : check.check(in);
      switch (v) {
        case Verdict.Rejected r -> {
          return r;
        }
        case Verdict.Transient t ->
            transientFailure = transientFailure == null ? t : transientFailure;
        case Verdict.Passed p -> unchecked.addAll(p.unchecked());
      }
    }
    return transientFailure != null ? transientFailure : new Verdict.Passed(unchecked);
  }

  private static List<InputCheck.Input> inputs(JobState job) {
    return switch (Jobs.command(job)) {
      case JobCommand.Restyle(RestyleCommand r) ->
          List.of(new InputCheck.Input("sourceVideoUrl", uri(r.getSourceVideoUrl()), false, false));
      case JobCommand.ActOne(ActOneCommand a) ->
          List.of(
              new InputCheck.Input(
                  "performanceVideoUrl", uri(a.getPerformanceVideoUrl()), false, true),
              new InputCheck.Input("characterImageUrl", uri(a.getCharacterImageUrl()), true, true));
    };
  }

  private static URI uri(String url) {
    if (url == null) {
      return null;
    }
    try {
      return new URI(url);
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  private static Verdict invalid(String field) {
    return new Verdict.Rejected(Rule.REACHABLE, field + " is not a valid URL");
  }

  @Override
  public void close() {
    downloader.close();
  }
}
