package io.renderrelay.e2e.chaos;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
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

/**
 * Checks the invariants after a chaos run, from the sources of truth only: render.events as a
 * read_committed consumer sees it, render.dlt, the simulator's paid tasks, and the bytes in S3.
 */
final class Checker {

  private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);
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
  private final Map<String, Long> details = new TreeMap<>();
  private final Findings c = new Findings();
  private final OutputAudit outputs;

  public Checker(
      String bootstrapServers,
      String registryUrl,
      SimulatorControl simulator,
      ObjectStore objects) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
    this.simulator = simulator;
    this.outputs = new OutputAudit(simulator, objects, c);
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
      judgeTimeline(jobId, timeline, checkedAt);
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
      checkPayment(jobId, paidTasks);
      switch (ev.get(0)) {
        case RenderCompleted done -> {
          c.completed++;
          if (paidTasks == 0) {
            violation("completed without a paid task: " + jobId);
          }
          outputs.checkOutputs(done, expectedKeys);
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
    outputs.checkStrayObjects(expectedKeys);
    DeadLetterAudit.check(bootstrapServers, READ_TIMEOUT, ambiguousJobs, c, details);
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
        c.violationLines());
  }

  private void judgeTimeline(String jobId, JobTimeline t, Instant checkedAt) {
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
  private void checkPayment(String jobId, int paidTasks) {
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

  private void violation(String v) {
    c.violation(v);
  }
}
