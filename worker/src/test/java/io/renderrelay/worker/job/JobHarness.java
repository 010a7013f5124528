package io.renderrelay.worker.job;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.config.WorkerConfig.PollTier;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.dlt.DeadLetters;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.Step;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.complete.CompleteSteps;
import io.renderrelay.worker.job.core.CallbackTokens;
import io.renderrelay.worker.job.core.DeadLettering;
import io.renderrelay.worker.job.core.EventFactory;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobRules;
import io.renderrelay.worker.job.core.Ownership;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.intake.CommandDecoder;
import io.renderrelay.worker.job.intake.Intake;
import io.renderrelay.worker.job.poll.PollSteps;
import io.renderrelay.worker.job.schedule.PollSchedule;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.job.submit.SubmitWord;
import io.renderrelay.worker.ledger.InMemoryLedgerStore;
import io.renderrelay.worker.ledger.InternalCodec;
import io.renderrelay.worker.ledger.LedgerCodec;
import io.renderrelay.worker.ledger.LedgerReader;
import io.renderrelay.worker.provider.NoopProviderMetrics;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.RateLimiter;
import io.renderrelay.worker.provider.SubmissionGate;
import io.renderrelay.worker.provider.SubmitAdmission;
import io.renderrelay.worker.provider.SubmitPermit;
import io.renderrelay.worker.provider.TaskSnapshot;
import io.renderrelay.worker.storage.CopiedObject;
import io.renderrelay.worker.storage.CopyException;
import io.renderrelay.worker.storage.RenderCopier;
import io.renderrelay.worker.timeline.ClockSample;
import io.renderrelay.worker.timeline.FleetClock;
import io.renderrelay.worker.timeline.OffsetEstimator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Runs the job logic without Kafka: steps run synchronously, ledger writes are applied as if their
 * transaction committed, and every produced record is kept for assertions.
 */
final class JobHarness {

  static final String RESTYLE = "render.commands.restyle";
  static final String ACT_ONE = "render.commands.act-one";

  /** The true time, which is also the broker's clock. */
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));

  /** This worker's own clock: the true time plus its skew. */
  final Clock local;

  /** The broker-clock estimate the worker's timeline is corrected by (see {@link #calibrate}). */
  final OffsetEstimator estimator = new OffsetEstimator(Duration.ofMinutes(10));

  final InMemoryLedgerStore store = new InMemoryLedgerStore();
  final FakeProvider provider = new FakeProvider();
  final FakeCopier copier = new FakeCopier();
  final List<Object> events = new ArrayList<>();
  final List<ProducerRecord<byte[], byte[]>> produced = new ArrayList<>();

  /** Records sent at once, outside any transaction (a former owner's submit word). */
  final List<ProducerRecord<byte[], byte[]>> outOfBand = new ArrayList<>();

  /** How a record is sent out of band: kept in {@link #outOfBand} unless a test changes it. */
  java.util.function.Consumer<ProducerRecord<byte[], byte[]>> sendOutOfBand = outOfBand::add;

  /** How long a job found SUBMITTING without a task id waits for its former owner's word. */
  Duration unresolvedWait = Duration.ofSeconds(60);

  final List<DeadLetterReason> deadLetters = new ArrayList<>();
  final AtomicInteger duplicates = new AtomicInteger();
  final Map<byte[], Object> commandBytes = new HashMap<>();
  final SubmissionGate gate = new SubmissionGate(clock, Duration.ofMinutes(5));

  /** Sees every record once its step "committed" (tests read the spend journal back with it). */
  java.util.function.Consumer<ProducerRecord<byte[], byte[]>> afterCommit = r -> {};

  /** The budget guard (issue 14): off unless a test sets one and calls {@link #rebuild()}. */
  io.renderrelay.worker.spend.SpendGuard spend = io.renderrelay.worker.spend.SpendGuard.off(clock);

  /** Submit rate permits: one a second after a burst of 3; waits move the clock (see sleeps). */
  final List<Duration> sleeps = new ArrayList<>();

  /** Runs at each wait for a submit permit, before the clock moves (tests stop the worker here). */
  Runnable onPermitWait = () -> {};

  final RateLimiter submitLimiter =
      new RateLimiter(
          "submit",
          1.0,
          3,
          clock,
          d -> {
            onPermitWait.run();
            sleeps.add(d);
            clock.advance(d);
          },
          new NoopProviderMetrics());
  boolean accepting = true;

  /** Partitions of the command topics (the ownership rule's modulus). */
  int partitions = 1;

  AmbiguousPolicy policy = AmbiguousPolicy.FAIL;

  /** The input pre-flight check (issue 14); off unless a test sets it before {@link #rebuild}. */
  Optional<io.renderrelay.worker.preflight.Preflight> preflight = Optional.empty();

  List<String> validationProblems = List.of();

  /** What the poll plan learned or assumes (none: the tier schedule alone). */
  io.renderrelay.worker.job.schedule.RenderTimes renderTimes =
      io.renderrelay.worker.job.schedule.RenderTimes.none();

  JobRouter router;
  private JobRecords records;
  private long offset;

  JobHarness() {
    this(Duration.ZERO);
  }

  /** A worker whose own clock is {@code skew} off the true (broker's) time. */
  JobHarness(Duration skew) {
    this.local = Clock.offset(clock, skew);
    rebuild();
  }

  /** One produce round trip of 2 ms to the broker, which stamps the true time. */
  void calibrate() {
    Instant sent = local.instant();
    estimator.add(new ClockSample(sent, sent.plusMillis(2), clock.instant().plusMillis(1)));
  }

  void rebuild() {
    PollSchedule schedule =
        new PollSchedule(
            List.of(
                new PollTier("render.poll.now", Duration.ZERO, 0),
                new PollTier("render.poll.10s", Duration.ofSeconds(10), 3),
                new PollTier("render.poll.30s", Duration.ofSeconds(30), 0)));
    Serializer<Object> eventSer =
        (topic, data) -> {
          events.add(data);
          return ("event-" + (events.size() - 1)).getBytes(StandardCharsets.UTF_8);
        };
    Serializer<Object> commandSer =
        (topic, data) -> ("cmd:" + data).getBytes(StandardCharsets.UTF_8);
    records =
        new JobRecords(
            "render.jobs",
            "render.events",
            Map.of(JobType.RESTYLE, RESTYLE, JobType.ACT_ONE, ACT_ONE),
            new io.renderrelay.worker.job.schedule.PollPlan(
                schedule, renderTimes, true, Duration.ofMinutes(15)),
            LedgerCodec.current(),
            InternalCodec.tickets(ReleasedSchemas.load(), Optional.empty()),
            eventSer,
            commandSer);
    CommandDecoder decoder =
        new CommandDecoder(
            new org.apache.kafka.common.serialization.Deserializer<Object>() {
              @Override
              public Object deserialize(String topic, byte[] data) {
                Object o = commandBytes.get(data);
                if (o == null) {
                  throw new IllegalArgumentException("garbage bytes");
                }
                return o;
              }
            },
            e -> e instanceof IllegalStateException,
            e -> false);
    JobListener listener =
        new JobListener() {
          @Override
          public void duplicateCommand(JobType type) {
            duplicates.incrementAndGet();
          }

          @Override
          public void deadLetter(DeadLetterReason reason) {
            deadLetters.add(reason);
          }
        };
    LedgerReader ledger = store::get;
    JobRules rules =
        new JobRules(
            Duration.ofHours(2),
            policy,
            1,
            Duration.ofSeconds(60),
            Duration.ofSeconds(5),
            unresolvedWait);
    Clock fleet = new FleetClock(local, estimator);
    EventFactory eventFactory = new EventFactory();
    DeadLetters dlt = new DeadLetters("render.dlt", clock);
    Transitions transitions =
        new Transitions(ledger, records, eventFactory, dlt, spend, listener, fleet);
    DeadLettering deadLettering = new DeadLettering(dlt, listener);
    SubmitSteps submits =
        new SubmitSteps(
            provider,
            new CallbackTokens(new Secret("s3cret"), URI.create("http://127.0.0.1:1/callbacks")),
            new SubmitAdmission(
                gate,
                submitLimiter,
                clock,
                Duration.ofSeconds(3),
                // the true time stands for the monotonic clock: it never steps, whatever the skew
                () -> clock.millis() * 1_000_000L),
            spend,
            records,
            transitions,
            ledger,
            rules,
            () -> accepting,
            r -> sendOutOfBand.accept(r),
            listener,
            fleet);
    CompleteSteps complete =
        new CompleteSteps(
            copier,
            (job, kind) ->
                "renders/"
                    + job.getJobType().name().toLowerCase()
                    + "/"
                    + job.getJobId()
                    + "/"
                    + kind.fileName(),
            records,
            eventFactory,
            transitions,
            listener,
            fleet);
    PollSteps polls =
        new PollSteps(provider, records, transitions, complete, submits::intent, rules, fleet);
    Intake intake =
        new Intake(
            new Ownership(partitions),
            ledger,
            decoder,
            cmd -> validationProblems,
            rules.defaultDeadline(),
            ACT_ONE,
            deadLettering,
            transitions,
            preflight,
            submits,
            () -> accepting,
            listener,
            fleet);
    router =
        new JobRouter(
            Set.of(RESTYLE, ACT_ONE),
            ledger,
            records,
            transitions,
            deadLettering,
            intake,
            submits,
            polls,
            listener,
            fleet);
  }

  static RestyleCommand restyle(String jobId) {
    return RestyleCommand.newBuilder()
        .setJobId(jobId)
        .setSourceVideoUrl("https://cdn.example.com/in.mp4")
        .setPrompt("pixelated style")
        .setOptions(RestyleOptions.newBuilder().build())
        .setMetadata(Map.of("caller", "t"))
        .setRequestedAt(Instant.parse("2026-11-25T10:00:00Z"))
        .build();
  }

  static ActOneCommand actOne(String jobId) {
    return ActOneCommand.newBuilder()
        .setJobId(jobId)
        .setPerformanceVideoUrl("https://cdn.example.com/perf.mp4")
        .setCharacterImageUrl("https://cdn.example.com/char.png")
        .setRequestedAt(Instant.parse("2026-11-25T10:00:00Z"))
        .build();
  }

  ConsumerRecord<byte[], byte[]> commandRecord(String topic, String key, Object command) {
    byte[] bytes = ("bytes-" + offset).getBytes(StandardCharsets.UTF_8);
    commandBytes.put(bytes, command);
    return new ConsumerRecord<>(
        topic, 0, offset++, key == null ? null : key.getBytes(StandardCharsets.UTF_8), bytes);
  }

  /** A command as it arrives on {@code partition} of its topic (another producer's partitioner). */
  ConsumerRecord<byte[], byte[]> commandRecord(
      String topic, int partition, String key, Object command) {
    ConsumerRecord<byte[], byte[]> r = commandRecord(topic, key, command);
    return new ConsumerRecord<>(topic, partition, r.offset(), r.key(), r.value());
  }

  /** The records produced to a command topic (forwarded commands), as the owner consumes them. */
  List<ConsumerRecord<byte[], byte[]>> forwardedCommands() {
    return produced.stream()
        .filter(r -> r.topic().equals(RESTYLE) || r.topic().equals(ACT_ONE))
        .map(
            r -> {
              ConsumerRecord<byte[], byte[]> c =
                  new ConsumerRecord<>(r.topic(), r.partition(), offset++, r.key(), r.value());
              r.headers().forEach(hd -> c.headers().add(hd));
              return c;
            })
        .toList();
  }

  ConsumerRecord<byte[], byte[]> rawRecord(String topic, String key, byte[] value) {
    return new ConsumerRecord<>(topic, 0, offset++, key.getBytes(StandardCharsets.UTF_8), value);
  }

  /** Runs a record's steps to the end, continuation after continuation; returns them all. */
  List<StepResult> run(ConsumerRecord<byte[], byte[]> record) throws Exception {
    return run(record, Lease.always());
  }

  /** Like {@link #run(ConsumerRecord)}, with the lease the engine would hand over. */
  List<StepResult> run(ConsumerRecord<byte[], byte[]> record, Lease lease) throws Exception {
    List<StepResult> results = new ArrayList<>();
    Step step = router.route(record, lease);
    for (int i = 0; i < 20 && step != null; i++) {
      StepResult r = step.run();
      results.add(r);
      apply(r);
      step = r.next().orElse(null);
      if (!r.nextDelay().isZero()) {
        clock.advance(r.nextDelay());
      }
    }
    return results;
  }

  /** Writes a step's effects as if its transaction committed (e.g. a giveUp's result). */
  void apply(StepResult r) {
    produced.addAll(r.records());
    r.records().forEach(afterCommit);
    r.ledger()
        .forEach(
            w ->
                w.state()
                    .ifPresentOrElse(
                        s -> store.put(w.partition(), s),
                        () -> store.remove(w.partition(), w.jobId())));
  }

  /** A record another worker sent, as this worker consumes it. */
  ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> p) {
    ConsumerRecord<byte[], byte[]> c =
        new ConsumerRecord<>(p.topic(), 0, offset++, p.key(), p.value());
    p.headers().forEach(hd -> c.headers().add(hd));
    return c;
  }

  JobRecords lastTicketRecordsFactory() {
    return records;
  }

  /** A former owner's word on a submit, as this harness's worker would send it. */
  ProducerRecord<byte[], byte[]> submitWord(String jobId, SubmitWord word) {
    return word.on(records.callbackTicket(jobId, clock.instant()));
  }

  /** The last ticket produced for a job, as a consumed record. */
  ConsumerRecord<byte[], byte[]> lastTicket() {
    ProducerRecord<byte[], byte[]> t =
        produced.stream()
            .filter(r -> r.topic().startsWith("render.poll."))
            .reduce((a, b) -> b)
            .orElseThrow();
    ConsumerRecord<byte[], byte[]> c =
        new ConsumerRecord<>(t.topic(), 0, offset++, t.key(), t.value());
    t.headers().forEach(h -> c.headers().add(h));
    return c;
  }

  /** The last ticket produced for one job, as a consumed record. */
  ConsumerRecord<byte[], byte[]> lastTicketOf(String jobId) {
    byte[] key = jobId.getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> t =
        produced.stream()
            .filter(
                r -> r.topic().startsWith("render.poll.") && java.util.Arrays.equals(r.key(), key))
            .reduce((a, b) -> b)
            .orElseThrow();
    ConsumerRecord<byte[], byte[]> c =
        new ConsumerRecord<>(t.topic(), 0, offset++, t.key(), t.value());
    t.headers().forEach(hd -> c.headers().add(hd));
    return c;
  }

  JobState job(String id) {
    return store.get(0, id).orElseThrow();
  }

  List<ProducerRecord<byte[], byte[]>> on(String topic) {
    return produced.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  static final class FakeProvider implements ProviderClient {
    final Map<String, Integer> submits = new HashMap<>();
    final Deque<Object> submitAnswers = new ArrayDeque<>();
    final Deque<Object> pollAnswers = new ArrayDeque<>();
    int polls;
    private int tasks;

    /** The permit each POST came with, in order. */
    final List<Optional<SubmitPermit>> permits = new ArrayList<>();

    @Override
    public String submitRestyle(
        RestyleCommand command, URI callbackUrl, Optional<SubmitPermit> permit)
        throws ProviderException {
      permits.add(permit);
      return submit(command.getJobId());
    }

    @Override
    public String submitActOne(
        ActOneCommand command, URI callbackUrl, Optional<SubmitPermit> permit)
        throws ProviderException {
      permits.add(permit);
      return submit(command.getJobId());
    }

    private String submit(String jobId) throws ProviderException {
      Object a = submitAnswers.poll();
      if (a instanceof Runnable whileAnswering) {
        whileAnswering.run(); // e.g. the step is interrupted while the answer is on its way
      }
      if (a instanceof RuntimeException e) {
        throw e;
      }
      if (a instanceof ProviderException e) {
        if (e instanceof ProviderException.Ambiguous) {
          submits.merge(jobId, 1, Integer::sum);
        }
        throw e;
      }
      submits.merge(jobId, 1, Integer::sum);
      return "task-" + (++tasks);
    }

    @Override
    public TaskSnapshot getTask(String taskId) throws ProviderException {
      polls++;
      Object a = pollAnswers.poll();
      if (a instanceof ProviderException e) {
        throw e;
      }
      TaskSnapshot s = (TaskSnapshot) a;
      return new TaskSnapshot(
          taskId,
          s.status(),
          s.rawStatus(),
          s.videoUrl(),
          s.posterUrl(),
          s.lastFrameUrl(),
          s.failure(),
          s.prompt(),
          s.promptEn(),
          s.progressPercent(),
          Optional.empty(),
          Optional.empty());
    }
  }

  static final class FakeCopier implements RenderCopier {
    final List<String> keys = new ArrayList<>();
    final List<io.renderrelay.worker.storage.PriorCopies> priors = new ArrayList<>();
    CopyException next;

    // synchronized: a job's outputs copy at once (ConcurrentCopies), on threads of their own
    @Override
    public synchronized CopiedObject copy(
        URI source,
        String key,
        String expectedContentType,
        io.renderrelay.worker.storage.PriorCopies prior)
        throws CopyException {
      priors.add(prior);
      if (next != null) {
        CopyException e = next;
        next = null;
        throw e;
      }
      keys.add(key);
      return new CopiedObject("renders", key, 1234, "ab".repeat(32), expectedContentType);
    }
  }

  static TaskSnapshot snapshot(io.renderrelay.worker.provider.TaskStatus status, String raw) {
    return new TaskSnapshot(
        "x",
        status,
        raw,
        status == io.renderrelay.worker.provider.TaskStatus.SUCCEEDED
            ? Optional.of(URI.create("https://cdn/v.mp4"))
            : Optional.empty(),
        status == io.renderrelay.worker.provider.TaskStatus.SUCCEEDED
            ? Optional.of(URI.create("https://cdn/p.png"))
            : Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of("pixelated style"),
        Optional.of("pixelated style"),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A FAILED task answer with this failure. */
  static TaskSnapshot failed(boolean moderation, boolean refunded, String reason) {
    TaskSnapshot s = snapshot(io.renderrelay.worker.provider.TaskStatus.FAILED, "2");
    return new TaskSnapshot(
        s.taskId(),
        s.status(),
        s.rawStatus(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(new io.renderrelay.worker.provider.TaskFailure(moderation, refunded, reason)),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }
}
