package io.renderrelay.e2e.bench;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.e2e.WorkerSettings;
import io.renderrelay.worker.app.PollingJobs;
import io.renderrelay.worker.kafka.KafkaClientFactory;
import io.renderrelay.worker.ledger.LedgerCodec;
import io.renderrelay.worker.ledger.LedgerRestorer;
import io.renderrelay.worker.ledger.LedgerTopic;
import io.renderrelay.worker.ledger.RocksDbLedgerStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Takeover time of one ledger partition: the worker's {@link LedgerRestorer} (its restore
 * consumer's settings, a fresh RocksDB store behind the worker's {@link PollingJobs}, as the worker
 * builds it) reading a partition of ledger entries, against Kafka's ConsumerPerformance reading the
 * same topic in the same run.
 */
public final class RestoreBench implements Benchmark {

  @Override
  public String name() {
    return "restore";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    long entries = ctx.pick(200_000L, 1_000_000L);
    String topic = "bench.restore.jobs";
    try (DevStack stack = ctx.stack(DevStackConfig.defaults())) {
      String bootstrap = stack.kafka().bootstrapServers();
      ctx.note("restore: filling %s with %,d ledger entries (one partition)", topic, entries);
      int bytes = fill(bootstrap, topic, entries);
      var config = new WorkerSettings(stack, "bench-restore").config();
      KafkaClientFactory kafka = new KafkaClientFactory(config.kafka(), "bench-restore");
      // Rounds in alternating order (restore first, then the reference first, ...): a cold JIT,
      // page cache or broker favours neither side; the ratio is the median of the rounds' ratios.
      int rounds = 3;
      List<Double> ratios = new ArrayList<>();
      List<Double> takeovers = new ArrayList<>();
      List<Object> references = new ArrayList<>();
      long restoredEntries = 0;
      ReferenceConsumer.Result ref = null;
      for (int round = 0; round < rounds; round++) {
        ReferenceConsumer.Result roundRef = null;
        if (round % 2 == 1) {
          roundRef = reference(ctx, bootstrap, topic, entries, round);
        }
        ctx.note(
            "restore: round %d, takeover of the partition by the worker's restorer", round + 1);
        long[] restoredAndNanos = restoreOnce(kafka, topic);
        if (roundRef == null) {
          roundRef = reference(ctx, bootstrap, topic, entries, round);
        }
        double seconds = restoredAndNanos[1] / 1e9;
        double perSecond = restoredAndNanos[0] / seconds;
        ctx.note(
            "restore: round %d: %,d entries in %.2f s (%,.0f entries/s); reference"
                + " ConsumerPerformance %,.0f records/s; ratio %.3f",
            round + 1,
            restoredAndNanos[0],
            seconds,
            perSecond,
            roundRef.fetchRecordsPerSecond(),
            perSecond / roundRef.fetchRecordsPerSecond());
        ratios.add(perSecond / roundRef.fetchRecordsPerSecond());
        takeovers.add(seconds);
        references.add(roundRef.summary());
        restoredEntries = restoredAndNanos[0];
        ref = roundRef;
      }
      double ratio = median(ratios);
      double seconds = median(takeovers);
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("entries", entries);
      params.put("entryBytes", bytes);
      params.put("partitions", 1);
      params.put("quick", ctx.quick() ? "200,000 entries instead of 1,000,000" : "no");
      params.put(
          "store",
          "RocksDB (fresh directory), write-ahead log off, behind the worker's count of jobs in"
              + " POLLING");
      params.put(
          "referenceCommand", "ConsumerPerformance --messages " + entries + " (fetch.nMsg.sec)");
      params.put(
          "ratioDefinition",
          "median over "
              + rounds
              + " rounds in alternating order of (restored entries/s / ConsumerPerformance fetch"
              + " records/s)");
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("takeoverSeconds", seconds);
      details.put("takeoverSecondsPerRound", takeovers);
      details.put("ratioPerRound", ratios);
      details.put("restoredEntries", restoredEntries);
      details.put("referencePerRound", references);
      return List.of(
          new BenchResult(
              name(),
              seconds,
              "s",
              new BenchResult.Reference(
                  "kafka ConsumerPerformance, same topic",
                  ref.fetchRecordsPerSecond(),
                  "records/s (last round)"),
              ratio,
              "ratio >= 0.5",
              ratio >= 0.5,
              params,
              details));
    }
  }

  /** One takeover into a fresh RocksDB store: {entries restored, nanoseconds}. */
  private static long[] restoreOnce(KafkaClientFactory kafka, String topic) throws Exception {
    LedgerCodec codec = LedgerCodec.current();
    Path dir = Files.createTempDirectory("bench-restore-ledger");
    AtomicLong restored = new AtomicLong();
    try (RocksDbLedgerStore store = new RocksDbLedgerStore(dir.resolve("db"), codec)) {
      LedgerRestorer restorer =
          new LedgerRestorer(
              () -> kafka.bulkReader("bench-restore"),
              topic,
              () -> "bench",
              // as the worker: RocksDB behind the count of jobs in POLLING (reads each entry's
              // phase)
              new PollingJobs(store, codec),
              codec,
              Clock.systemUTC(),
              Duration.ofMinutes(2));
      long started = System.nanoTime();
      restorer.restore(
          List.of(0),
          new LedgerRestorer.Sink() {
            @Override
            public boolean write(int partition, Runnable writes) {
              writes.run();
              return true;
            }

            @Override
            public void caughtUp(int partition, long read, Duration d) {
              restored.set(read);
            }
          });
      return new long[] {restored.get(), System.nanoTime() - started};
    } finally {
      RocksDbLedgerStore.delete(dir);
    }
  }

  private static ReferenceConsumer.Result reference(
      BenchContext ctx, String bootstrap, String topic, long entries, int round) throws Exception {
    ReferenceConsumer.Result ref =
        ReferenceConsumer.run(
            bootstrap,
            topic,
            entries,
            ctx.file("logs/consumer-performance-" + (round + 1) + ".log"),
            "bench-reference-" + topic + "-" + (round + 1));
    if (ref.records() < entries) {
      throw new IllegalStateException(
          "the reference read " + ref.records() + " of " + entries + " records: " + ref.summary());
    }
    return ref;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    java.util.Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Produces distinct jobs' final ledger entries; returns the size of one entry. */
  private static int fill(String bootstrap, String topic, long entries) throws Exception {
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(a)) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(LedgerTopic.CONFIGS)))
          .all()
          .get();
    }
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    LedgerCodec codec = LedgerCodec.current();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    int size = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < entries; i++) {
        String jobId = "bench-job-" + i;
        byte[] value = codec.encode(entry(jobId, t0.plusSeconds(i)));
        size = value.length;
        producer.send(
            new ProducerRecord<>(topic, 0, jobId.getBytes(StandardCharsets.UTF_8), value));
      }
      producer.flush();
    }
    return size;
  }

  private static JobState entry(String jobId, Instant at) {
    return JobState.newBuilder()
        .setJobId(jobId)
        .setJobType(JobType.RESTYLE)
        .setPhase(JobPhase.COMPLETED)
        .setRestyle(
            RestyleCommand.newBuilder()
                .setJobId(jobId)
                .setSourceVideoUrl("https://media.example.com/in/" + jobId + ".mp4")
                .setPrompt("pixelated style, warm palette, 16-bit")
                .setOptions(RestyleOptions.newBuilder().build())
                .setMetadata(Map.of("tenant", "acme", "origin", "bench"))
                .setRequestedAt(at)
                .build())
        .setTaskId("task-" + jobId)
        .setSubmitAttempts(1)
        .setPolls(4)
        .setPollSeq(4)
        .setLastProviderStatus("SUCCEEDED")
        .setCreatedAt(at)
        .setSubmittedAt(at.plusSeconds(1))
        .setUpdatedAt(at.plusSeconds(160))
        .setDeadline(at.plusSeconds(7200))
        .setOutcome("COMPLETED")
        .build();
  }
}
