package io.renderrelay.e2e.bench;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SubjectNameStrategy;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.provider.HttpProviderClient;
import io.renderrelay.worker.provider.ProviderHttpClientFactory;
import io.renderrelay.worker.provider.ProviderMetrics;
import io.renderrelay.worker.provider.ProviderRuntime;
import io.renderrelay.worker.provider.RetrySettings;
import io.renderrelay.worker.provider.TaskSnapshot;
import io.renderrelay.worker.provider.TaskStatus;
import io.renderrelay.worker.retry.Sleeper;
import io.renderrelay.worker.storage.Download;
import io.renderrelay.worker.storage.S3ClientFactory;
import io.renderrelay.worker.storage.SafeDownloader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The throughput reference: a relay with the same I/O as a render-relay job and none of its
 * guarantees. It consumes a command, POSTs it to the provider, GETs the feed until the task is
 * done, downloads the three outputs and PUTs them to S3, and produces a RenderCompleted, with the
 * same libraries and settings as the worker (provider client, download client, S3 client, Kafka
 * clients, Avro serde), but no ledger, no transactions, no checksums, no conditional writes and no
 * offset commits. Jobs run on virtual threads, as many at once as the worker allows in flight.
 */
final class BareRelay implements AutoCloseable {
  private static final Duration POLL_EVERY = Duration.ofMillis(100);
  private static final int FAILURE_SAMPLES = 5;

  private final WorkerConfig config;
  private final java.net.http.HttpClient http;
  private final String jobPrefix;
  private final List<String> commandTopics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ConfluentAvroDeserializer<Object> commands;
  private final ConfluentAvroSerializer<Object> events;
  private final HttpProviderClient provider;
  private final SafeDownloader downloader;
  private final S3Client s3;
  private final Semaphore inFlight;
  private final ExecutorService jobs = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong failures = new AtomicLong();
  private final List<String> failureSamples = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Thread loop;

  /**
   * Starts relaying the commands on {@code commandTopics} whose job id starts with {@code
   * jobPrefix}.
   */
  BareRelay(
      WorkerConfig config,
      String registryUrl,
      List<String> commandTopics,
      String jobPrefix,
      int maxInFlight) {
    this.config = config;
    this.commandTopics = List.copyOf(commandTopics);
    this.jobPrefix = jobPrefix;
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-bare-relay-" + jobPrefix);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    var registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    this.commands = new ConfluentAvroDeserializer<>(registry, true);
    this.events =
        new ConfluentAvroSerializer<>(registry, SubjectNameStrategy.TOPIC_RECORD_NAME, true, false);
    this.http = new ProviderHttpClientFactory().create(config.provider());
    this.provider =
        new HttpProviderClient(
            config.provider(),
            http,
            ProviderRuntime.create(
                100_000,
                100_000,
                Duration.ofMinutes(1),
                ProviderMetrics.noop(),
                Clock.systemUTC(),
                Sleeper.system()),
            RetrySettings.defaults(new SecureRandom()));
    this.downloader = SafeDownloader.fromSettings(config.storage(), maxInFlight);
    this.s3 =
        new S3ClientFactory(
                config.storage(), S3ClientFactory.Tuning.defaults().withMaxConnections(maxInFlight))
            .create();
    this.inFlight = new Semaphore(maxInFlight);
    this.loop = Thread.ofPlatform().name("bare-relay").start(this::run);
  }

  /** The first failures (job id and exception), to say why jobs had no event. */
  List<String> failureSamples() {
    return List.copyOf(failureSamples);
  }

  long failures() {
    return failures.get();
  }

  private void run() {
    consumer.subscribe(commandTopics);
    while (running.get()) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        String jobId = new String(r.key(), StandardCharsets.UTF_8);
        if (!jobId.startsWith(jobPrefix)) {
          continue;
        }
        Object command = commands.deserialize(r.topic(), r.headers(), r.value());
        inFlight.acquireUninterruptibly();
        jobs.submit(
            () -> {
              try {
                relay(jobId, command);
              } catch (Exception e) {
                if (failures.incrementAndGet() <= FAILURE_SAMPLES) {
                  failureSamples.add(jobId + ": " + e);
                }
              } finally {
                inFlight.release();
              }
            });
      }
    }
  }

  private void relay(String jobId, Object command) throws Exception {
    Instant submitted = Instant.now();
    URI callback = URI.create("http://127.0.0.1:9/bare/" + jobId);
    JobType type;
    String taskId;
    if (command instanceof RestyleCommand rc) {
      type = JobType.RESTYLE;
      taskId = provider.submitRestyle(rc, callback);
    } else {
      type = JobType.ACT_ONE;
      taskId = provider.submitActOne((ActOneCommand) command, callback);
    }
    TaskSnapshot task = provider.getTask(taskId);
    while (task.status() != TaskStatus.SUCCEEDED) {
      if (task.status() == TaskStatus.FAILED) {
        throw new IllegalStateException("task " + taskId + " failed");
      }
      Thread.sleep(POLL_EVERY);
      task = provider.getTask(taskId);
    }
    String prefix = "bare/" + jobId + "/";
    RenderCompleted done =
        RenderCompleted.newBuilder()
            .setJobId(jobId)
            .setJobType(type)
            .setProviderTaskId(taskId)
            .setVideo(put(task.videoUrl().orElseThrow(), prefix + "video.mp4", "video/mp4"))
            .setPoster(put(task.posterUrl().orElseThrow(), prefix + "poster.png", "image/png"))
            .setLastFrame(
                put(task.lastFrameUrl().orElseThrow(), prefix + "last-frame.png", "image/png"))
            .setRequestedAt(submitted)
            .setSubmittedAt(submitted)
            .setRenderedAt(Instant.now())
            .setCompletedAt(Instant.now())
            .setAttempts(1)
            .setMetadata(Map.of())
            .build();
    byte[] value = events.serialize(EventCollector.EVENTS_TOPIC, done);
    producer
        .send(
            new ProducerRecord<>(
                EventCollector.EVENTS_TOPIC, jobId.getBytes(StandardCharsets.UTF_8), value))
        .get();
  }

  /** Downloads one output and PUTs it as it streams: no hashing, no condition, no check. */
  private RenderOutput put(URI source, String key, String type) throws Exception {
    try (Download d = downloader.open(source)) {
      long length = d.contentLength().orElseThrow();
      s3.putObject(
          b -> b.bucket(config.storage().bucket()).key(key).contentType(type),
          RequestBody.fromInputStream(d.body(), length));
      return RenderOutput.newBuilder()
          .setBucket(config.storage().bucket())
          .setKey(key)
          .setUri("s3://" + config.storage().bucket() + "/" + key)
          .setSizeBytes(length)
          .setSha256("")
          .setContentType(type)
          .build();
    }
  }

  @Override
  public void close() throws Exception {
    running.set(false);
    loop.join(Duration.ofSeconds(10));
    jobs.shutdownNow();
    jobs.close();
    consumer.close();
    producer.close();
    downloader.close();
    s3.close();
    http.close();
  }
}
