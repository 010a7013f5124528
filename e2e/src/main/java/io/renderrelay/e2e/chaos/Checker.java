package io.renderrelay.e2e.chaos;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.client.DltHeaders;
import io.renderrelay.devstack.simulator.OutputKind;
import io.renderrelay.devstack.simulator.SimulatorControl;
import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Checks the invariants after a chaos run, from the sources of truth only: render.events as a
 * read_committed consumer sees it, render.dlt, the simulator's paid tasks, and the bytes in S3.
 */
public final class Checker {

  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
  private static final int MAX_VIOLATION_LINES = 50;
  private static final Set<FailureReason> UNPAID_FAILURES =
      Set.of(
          FailureReason.SUBMIT_REJECTED,
          FailureReason.DEADLINE_EXCEEDED,
          FailureReason.INVALID_COMMAND,
          FailureReason.AMBIGUOUS_SUBMIT,
          FailureReason.INPUT_REJECTED);

  private final String bootstrapServers;
  private final String registryUrl;
  private final SimulatorControl simulator;
  private final ObjectStore objects;
  private final Map<String, Long> details = new TreeMap<>();
  private final List<String> violations = new ArrayList<>();
  private int violationCount;

  public Checker(
      String bootstrapServers,
      String registryUrl,
      SimulatorControl simulator,
      ObjectStore objects) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.simulator = simulator;
    this.objects = objects;
  }

  /**
   * Reads everything and judges the run of {@code jobIds}; {@code deadlines} holds each job's
   * deadline (a job without an entry has no time limit in this run), {@code grace} how long after
   * it the job may still end before it counts as stuck.
   */
  public ChaosReport check(
      List<String> scenarios,
      Collection<String> jobIds,
      Map<String, Instant> deadlines,
      Duration grace,
      List<Killer.KillRecord> kills,
      List<String> faults) {
    List<ConsumerRecord<byte[], byte[]>> committed =
        TopicReader.readAll(bootstrapServers, "render.events", true, READ_TIMEOUT);
    Instant checkedAt = Instant.now();
    Map<String, List<Object>> events = decode(committed);
    Map<String, Instant> firstEventAt = firstTimestamps(committed);
    Counts c = new Counts();
    Map<String, Integer> failureReasons = new TreeMap<>();
    Map<String, Integer> ambiguousReasons = new TreeMap<>();
    Set<String> ambiguousJobs = new HashSet<>();
    Set<String> expectedKeys = new HashSet<>();
    Map<String, Long> outcomes = new TreeMap<>();
    Map<String, Integer> paid = simulator.paidSubmissions();
    for (String jobId : jobIds) {
      List<Object> ev = events.getOrDefault(jobId, List.of());
      Instant deadline = deadlines.getOrDefault(jobId, Instant.MAX);
      JobTimeline timeline =
          new JobTimeline(
              Optional.ofNullable(firstEventAt.get(jobId)),
              !ev.isEmpty() && failedWith(ev.get(0), FailureReason.AMBIGUOUS_SUBMIT),
              !ev.isEmpty() && failedWith(ev.get(0), FailureReason.DEADLINE_EXCEEDED),
              paid.getOrDefault(jobId, 0),
              deadline,
              deadline.equals(Instant.MAX) ? Instant.MAX : deadline.plus(grace));
      judgeTimeline(jobId, timeline, checkedAt, c);
      outcomes.merge(
          "outcome." + scenarioOf(jobId) + "." + (ev.isEmpty() ? "NONE" : outcomeOf(ev.get(0))),
          1L,
          Long::sum);
      if (ev.isEmpty()) {
        c.lost++;
        violation("lost: no terminal event for " + jobId);
        continue;
      }
      if (ev.size() > 1) {
        c.duplicates++;
        violation("duplicate: " + ev.size() + " terminal events for " + jobId);
      }
      int paidTasks = paid.getOrDefault(jobId, 0);
      checkPayment(jobId, paidTasks, c);
      switch (ev.get(0)) {
        case RenderCompleted done -> {
          c.completed++;
          if (paidTasks == 0) {
            violation("completed without a paid task: " + jobId);
          }
          checkOutputs(done, expectedKeys, c);
        }
        case RenderFailed f -> {
          failureReasons.merge(f.getReason().name(), 1, Integer::sum);
          if (f.getReason() == FailureReason.AMBIGUOUS_SUBMIT) {
            c.ambiguous++;
            ambiguousJobs.add(jobId);
            ambiguousReasons.merge(
                reasonOf(f.getMessage()) + " [paid tasks=" + paidTasks + "]", 1, Integer::sum);
          } else {
            c.failed++;
            if (paidTasks == 0 && !UNPAID_FAILURES.contains(f.getReason())) {
              violation("failed with " + f.getReason() + " but no task was paid: " + jobId);
            }
          }
        }
        default ->
            violation("unexpected event type " + ev.get(0).getClass().getName() + " for " + jobId);
      }
    }
    checkStrayObjects(expectedKeys, c);
    checkDeadLetters(ambiguousJobs);
    details.putAll(outcomes);
    details.put("aborted_events", (long) abortedEvents(committed));
    details.put("refund_resubmits", (long) c.refundResubmits);
    details.put("deadline_exceeded_early", (long) c.failedEarly);
    details.put("objects_verified", (long) c.objectsVerified);
    details.put("stray_objects", (long) c.strays);
    details.put(
        "foreign_event_jobs", events.keySet().stream().filter(j -> !jobIds.contains(j)).count());
    details.put("simulator_submits", simulator.submits());
    details.put("simulator_polls", simulator.polls());
    details.put("simulator_callbacks_sent", simulator.callbacksSent());
    if (violationCount > MAX_VIOLATION_LINES) {
      violations.add("... and " + (violationCount - MAX_VIOLATION_LINES) + " more");
    }
    return new ChaosReport(
        List.copyOf(scenarios),
        jobIds.size(),
        c.completed,
        c.failed,
        c.ambiguous,
        c.unpaidAmbiguous,
        c.stuck,
        c.lost,
        c.duplicates,
        c.doublePaid,
        c.badObjects,
        new TreeMap<>(details),
        new TreeMap<>(failureReasons),
        new TreeMap<>(ambiguousReasons),
        kills,
        faults,
        List.copyOf(violations));
  }

  private void judgeTimeline(String jobId, JobTimeline t, Instant checkedAt, Counts c) {
    if (t.unpaidAmbiguous()) {
      c.unpaidAmbiguous++;
    }
    if (t.failedBeforeItsDeadline()) {
      c.failedEarly++;
      violation(
          "failed as DEADLINE_EXCEEDED at "
              + t.firstTerminalAt().orElseThrow()
              + ", before its deadline "
              + t.deadline()
              + ": "
              + jobId);
    }
    if (t.stuck(checkedAt)) {
      c.stuck++;
      violation(
          "stuck: no terminal event by deadline + grace ("
              + t.endBy()
              + ") for "
              + jobId
              + t.firstTerminalAt().map(e -> ", its event came at " + e).orElse(""));
    }
  }

  private static boolean failedWith(Object event, FailureReason reason) {
    return event instanceof RenderFailed f && f.getReason() == reason;
  }

  /** The scenario a job belongs to: its id's first segment ({@code deploy-11-00042-...}). */
  private static String scenarioOf(String jobId) {
    int dash = jobId.indexOf('-');
    return dash > 0 ? jobId.substring(0, dash) : jobId;
  }

  private static String outcomeOf(Object event) {
    return event instanceof RenderFailed f ? f.getReason().name() : "COMPLETED";
  }

  /** The timestamp of each job's first committed terminal event. */
  private static Map<String, Instant> firstTimestamps(
      List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, Instant> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.merge(
          new String(r.key(), StandardCharsets.UTF_8),
          Instant.ofEpochMilli(r.timestamp()),
          (a, b) -> a.isBefore(b) ? a : b);
    }
    return out;
  }

  /** More than one paid task is legitimate only when every task but the last one FAILED. */
  private void checkPayment(String jobId, int paidTasks, Counts c) {
    if (paidTasks <= 1) {
      return;
    }
    List<String> tasks = simulator.taskIdsOfJob(jobId);
    boolean refunded = true;
    for (int i = 0; i < tasks.size() - 1; i++) {
      String phase =
          simulator.task(tasks.get(i)).map(SimulatorControl.TaskReport::phase).orElse("?");
      refunded &= "FAILED".equals(phase);
    }
    if (refunded) {
      c.refundResubmits++;
    } else {
      c.doublePaid++;
      violation("paid " + paidTasks + " times: " + jobId + " tasks " + tasks);
    }
  }

  private void checkOutputs(RenderCompleted done, Set<String> expectedKeys, Counts c) {
    checkOutput(done, done.getVideo(), OutputKind.VIDEO, expectedKeys, c);
    if (done.getPoster() != null) {
      checkOutput(done, done.getPoster(), OutputKind.POSTER, expectedKeys, c);
    }
    if (done.getLastFrame() != null) {
      checkOutput(done, done.getLastFrame(), OutputKind.LAST_FRAME, expectedKeys, c);
    }
  }

  private void checkOutput(
      RenderCompleted done, RenderOutput out, OutputKind kind, Set<String> expectedKeys, Counts c) {
    String job = done.getJobId();
    expectedKeys.add(out.getKey());
    String expected = simulator.outputChecksum(done.getProviderTaskId(), kind);
    String problem = null;
    if (!out.getKey().endsWith("/" + job + "/" + fileName(kind))) {
      problem = "key " + out.getKey() + " is not derived from the job id";
    } else if (!expected.equals(out.getSha256())) {
      problem = "event sha256 " + out.getSha256() + " != simulator " + expected;
    } else {
      ObjectStore.Stored s = objects.read(out.getKey());
      if (!s.etagMatchesContent()) {
        problem = "ETag " + s.etag() + " is not the MD5 of the stored bytes " + s.contentMd5();
      } else if (!expected.equals(s.contentSha256())) {
        problem = "stored bytes hash to " + s.contentSha256() + ", simulator " + expected;
      }
    }
    c.objectsVerified++;
    if (problem != null) {
      c.badObjects++;
      violation("bad object of " + job + " (" + kind + "): " + problem);
    }
  }

  /**
   * Objects no completed event names (e.g. a copy cut short by a kill) must hold the right bytes
   * too.
   */
  private void checkStrayObjects(Set<String> expectedKeys, Counts c) {
    for (String key : objects.keys()) {
      if (expectedKeys.contains(key)) {
        continue;
      }
      c.strays++;
      String[] parts = key.split("/");
      OutputKind kind = parts.length >= 2 ? kindOf(parts[parts.length - 1]) : null;
      String job = parts.length >= 2 ? parts[parts.length - 2] : "?";
      String actual = objects.read(key).contentSha256();
      boolean matches =
          kind != null
              && simulator.taskIdsOfJob(job).stream()
                  .anyMatch(t -> simulator.outputChecksum(t, kind).equals(actual));
      if (!matches) {
        c.badObjects++;
        violation("object " + key + " matches no output of job " + job);
      }
    }
  }

  private void checkDeadLetters(Set<String> ambiguousJobs) {
    List<ConsumerRecord<byte[], byte[]>> dlt =
        TopicReader.readAll(bootstrapServers, "render.dlt", true, READ_TIMEOUT);
    Set<String> ambiguousInDlt = new HashSet<>();
    long withoutReason = 0;
    for (ConsumerRecord<byte[], byte[]> r : dlt) {
      String reason = header(r, DltHeaders.REASON);
      String detail = header(r, DltHeaders.DETAIL);
      if (reason.isBlank() || detail.isBlank() || header(r, DltHeaders.SOURCE_TOPIC).isBlank()) {
        withoutReason++;
        violation("DLT record at offset " + r.offset() + " lacks reason/detail/source headers");
      }
      if ("AMBIGUOUS_SUBMIT".equals(reason) && r.key() != null) {
        ambiguousInDlt.add(new String(r.key(), StandardCharsets.UTF_8));
      }
    }
    long missing = ambiguousJobs.stream().filter(j -> !ambiguousInDlt.contains(j)).count();
    if (missing > 0) {
      violation(missing + " AMBIGUOUS jobs have no AMBIGUOUS_SUBMIT record on the DLT");
    }
    details.put("dlt_records", (long) dlt.size());
    details.put("dlt_without_reason", withoutReason);
  }

  private Map<String, List<Object>> decode(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, List<Object>> out = new HashMap<>();
    try (SchemaRegistryClient registry =
        new HttpSchemaRegistryClient(RegistryClientConfig.of(registryUrl))) {
      ConfluentAvroDeserializer<Object> d = new ConfluentAvroDeserializer<>(registry, true);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        String jobId = new String(r.key(), StandardCharsets.UTF_8);
        out.computeIfAbsent(jobId, k -> new ArrayList<>())
            .add(d.deserialize(r.topic(), r.headers(), r.value()));
      }
    }
    return out;
  }

  /** Events written by a transaction that was then aborted: kills between event and commit. */
  private int abortedEvents(List<ConsumerRecord<byte[], byte[]>> committedRecords) {
    Set<String> committed = new HashSet<>();
    committedRecords.forEach(r -> committed.add(r.partition() + "@" + r.offset()));
    int aborted = 0;
    for (ConsumerRecord<byte[], byte[]> r :
        TopicReader.readAll(bootstrapServers, "render.events", false, READ_TIMEOUT)) {
      if (!committed.contains(r.partition() + "@" + r.offset())) {
        aborted++;
      }
    }
    return aborted;
  }

  private static String reasonOf(String message) {
    String m = message == null ? "" : message;
    int colon = m.indexOf(':');
    return colon > 0 ? m.substring(0, colon) : m;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String fileName(OutputKind kind) {
    return switch (kind) {
      case VIDEO -> "video.mp4";
      case POSTER -> "poster.png";
      case LAST_FRAME -> "last_frame.png";
    };
  }

  private static OutputKind kindOf(String fileName) {
    for (OutputKind k : OutputKind.values()) {
      if (fileName(k).equals(fileName)) {
        return k;
      }
    }
    return null;
  }

  private void violation(String v) {
    violationCount++;
    if (violations.size() < MAX_VIOLATION_LINES) {
      violations.add(v);
    }
  }

  /** Running totals. */
  private static final class Counts {
    int completed;
    int failed;
    int ambiguous;
    int unpaidAmbiguous;
    int stuck;
    int failedEarly;
    int lost;
    int duplicates;
    int doublePaid;
    int badObjects;
    int refundResubmits;
    int objectsVerified;
    int strays;
  }
}
