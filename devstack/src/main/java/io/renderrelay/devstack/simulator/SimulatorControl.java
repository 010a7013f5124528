package io.renderrelay.devstack.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test-side handle of a running simulator: fault knobs, answer format, render-time override,
 * counters and output checksums. The same operations are served as JSON under {@code /_sim/*} (see
 * {@link ControlHandler}) for external processes.
 *
 * <p>Paid submissions are attributed to a job id taken from the callback URL: the path segment
 * after {@code /callbacks/} in {@code <base>/callbacks/<jobId>/<token>}, or the whole callback_url
 * string when it does not have that form.
 */
public final class SimulatorControl {

  /** One output of a task as the simulator serves it. */
  public record OutputReport(String url, long sizeBytes, String sha256) {}

  /**
   * A task as the simulator sees it now.
   *
   * @param phase NOT_VISIBLE, QUEUED, RUNNING, SUCCEEDED or FAILED
   * @param outputs present once the task has succeeded
   */
  public record TaskReport(
      String taskId,
      String jobId,
      JobKind kind,
      String phase,
      String failReason,
      Instant submittedAt,
      Instant finishedAt,
      Map<OutputKind, OutputReport> outputs) {}

  private final SimulatorConfig cfg;
  private final Clock clock;
  private final Faults faults = new Faults();
  private final Counters counters = new Counters();
  private final RequestLog requestLog = new RequestLog();
  private final TaskStore store = new TaskStore();
  private final Map<String, String> checksums = new ConcurrentHashMap<>();
  private volatile AnswerFormat format;
  private volatile Duration renderOverride;
  private volatile String baseUrl = "http://127.0.0.1";

  SimulatorControl(SimulatorConfig cfg, Clock clock) {
    this.cfg = cfg;
    this.clock = clock;
    this.format = cfg.answerFormat();
    this.renderOverride = cfg.renderTimeOverride();
  }

  /** The fault knobs (live: changes apply to the next request). */
  public Faults faults() {
    return faults;
  }

  public AnswerFormat answerFormat() {
    return format;
  }

  public void answerFormat(AnswerFormat f) {
    format = Objects.requireNonNull(f, "format");
  }

  /** The fixed render time of new tasks, or null when sampled from the distributions. */
  public Duration renderTimeOverride() {
    return renderOverride;
  }

  public void renderTimeOverride(Duration d) {
    if (d != null && d.isNegative()) {
      throw new IllegalArgumentException("render time override must not be negative");
    }
    renderOverride = d;
  }

  /** Tasks created (paid) per job id. */
  /** The trace headers of the API requests received (the last {@link RequestLog#CAPACITY}). */
  public RequestLog requestLog() {
    return requestLog;
  }

  public Map<String, Integer> paidSubmissions() {
    return counters.paidSubmissions();
  }

  /** Submit requests received (whatever their answer). */
  public long submits() {
    return counters.submits();
  }

  /** Feed requests received (whatever their answer). */
  public long polls() {
    return counters.polls();
  }

  /**
   * Answered polls by the phase the task was in ({@code queued}, {@code running}, {@code
   * succeeded}, {@code failed}), and {@code repeat-end}: polls about a task already seen ended.
   */
  public Map<String, Long> pollAnswers() {
    return counters.pollAnswers();
  }

  /** GET downloads that started streaming a body. */
  public long fileDownloads() {
    return counters.downloads();
  }

  /** Callback POSTs sent (a duplicate counts twice, a lost one not at all). */
  public long callbacksSent() {
    return counters.callbacksSent();
  }

  /** Answers by "endpoint status", e.g. {@code "feed 400"}, {@code "submit_restyle 200"}. */
  public Map<String, Long> requestsByEndpointAndStatus() {
    return counters.requestsByEndpointAndStatus();
  }

  /** Zeroes every counter (tasks and faults stay). */
  public void reset() {
    counters.reset();
  }

  /** Ids of the tasks created for {@code jobId}. */
  public List<String> taskIdsOfJob(String jobId) {
    return store.all().stream()
        .filter(t -> t.jobId().equals(jobId))
        .sorted((a, b) -> a.submittedAt().compareTo(b.submittedAt()))
        .map(SimTask::taskId)
        .toList();
  }

  /** Hex SHA-256 of what the simulator serves for (taskId, kind), faults aside. */
  public String outputChecksum(String taskId, OutputKind kind) {
    requireTask(taskId);
    return checksums.computeIfAbsent(
        taskId + "/" + kind, k -> OutputContent.sha256(taskId, kind, configuredSize(kind)));
  }

  /** Byte length of what the simulator serves for (taskId, kind), faults aside. */
  public long outputSize(String taskId, OutputKind kind) {
    requireTask(taskId);
    return OutputContent.length(kind, configuredSize(kind));
  }

  /** The task now, with its outputs' URLs, sizes and checksums once it has succeeded. */
  public Optional<TaskReport> task(String taskId) {
    return store.get(taskId).map(this::report);
  }

  private TaskReport report(SimTask t) {
    TaskPhase phase = t.phaseAt(clock.instant());
    Map<OutputKind, OutputReport> outputs = new EnumMap<>(OutputKind.class);
    if (phase instanceof TaskPhase.Succeeded) {
      for (OutputKind kind : OutputKind.values()) {
        outputs.put(
            kind,
            new OutputReport(
                FeedAnswers.outputUrl(outputBase(), t.taskId(), kind),
                outputSize(t.taskId(), kind),
                outputChecksum(t.taskId(), kind)));
      }
    }
    String name =
        switch (phase) {
          case TaskPhase.NotVisible n -> "NOT_VISIBLE";
          case TaskPhase.Queued q -> "QUEUED";
          case TaskPhase.Running r -> "RUNNING";
          case TaskPhase.Succeeded s -> "SUCCEEDED";
          case TaskPhase.Failed f -> "FAILED";
        };
    return new TaskReport(
        t.taskId(),
        t.jobId(),
        t.kind(),
        name,
        t.failReason(),
        t.submittedAt(),
        t.finishedAt(),
        outputs);
  }

  private void requireTask(String taskId) {
    if (store.get(taskId).isEmpty()) {
      throw new IllegalArgumentException("unknown task id " + taskId);
    }
  }

  long configuredSize(OutputKind kind) {
    return cfg.outputSizes().of(kind);
  }

  /** Base of output URLs: the privateOutputUrls fault's base, else this server's. */
  String outputBase() {
    String override = faults.outputBaseUrl();
    return override != null ? stripSlash(override) : baseUrl;
  }

  void baseUrl(String url) {
    baseUrl = url;
  }

  Counters counters() {
    return counters;
  }

  TaskStore store() {
    return store;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
