package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.devstack.simulator.Faults;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.job.core.CallbackTokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Provider outputs that point into the worker's own network, redirect there, or are too large are
 * refused with a clear reason and nothing reaches S3; forged callbacks are refused and a flood of
 * them neither moves a poll nor stops good jobs.
 */
@Timeout(240)
class OutputSecurityIT {

  static final long MAX_OUTPUT = 1L << 20;
  static final Duration DONE = Duration.ofSeconds(40);

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(1));

  static RenderRelayWorker worker;
  static WorkerSettings settings;
  static WorkerProbe probe;
  static TopicTail pollNow;
  static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    settings =
        e2e.settings("outsec-1")
            // the simulator's own host, and a metadata address whose allow-listing must not help
            .with("storage.allowed-output-hosts", "127.0.0.1,169.254.169.254")
            .with("storage.max-output-bytes", Long.toString(MAX_OUTPUT))
            .with("storage.download-timeout", "5s");
    worker = e2e.worker(settings);
    probe = new WorkerProbe(settings);
    pollNow = e2e.tail(TopicTail.POLL_NOW_TOPIC);
    s3 = e2e.s3().client();
  }

  @AfterEach
  void clear() throws Exception {
    e2e.sim().faults().clear();
    assertThat(WorkerProbe.await(Duration.ofSeconds(20), () -> probe.ready().status() == 200))
        .as("the worker stays ready: %s", probe.ready())
        .isTrue();
  }

  @Test
  void outputOnACloudMetadataAddressIsRefusedEvenWhenAllowListed() throws Exception {
    assertRejected(
        f -> f.outputBaseUrl("http://169.254.169.254"),
        "169.254.169.254 is a cloud metadata address");
  }

  @Test
  void outputOnAPrivateHostOutsideTheAllowListIsRefused() throws Exception {
    assertRejected(
        f -> f.outputBaseUrl("http://10.0.0.7:8080"),
        "host 10.0.0.7 is not in the allowed output hosts");
  }

  @Test
  void redirectToAMetadataAddressIsRefused() throws Exception {
    assertRejected(
        f -> f.fileRedirect("http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
        "169.254.169.254 is a cloud metadata address");
  }

  @Test
  void redirectToAPrivateHostIsRefused() throws Exception {
    assertRejected(
        f -> f.fileRedirect("http://192.168.1.1/admin"),
        "host 192.168.1.1 is not in the allowed output hosts");
  }

  @Test
  void outputAnnouncingMoreThanTheLimitIsRefused() throws Exception {
    assertRejected(
        f -> f.oversize(new Faults.Oversize(2 * MAX_OUTPUT, true)),
        "more than the limit of " + MAX_OUTPUT);
  }

  @Test
  void outputStreamingPastTheLimitWithoutALengthIsRefused() throws Exception {
    assertRejected(
        f -> f.oversize(new Faults.Oversize(2 * MAX_OUTPUT, false)),
        "larger than the limit of " + MAX_OUTPUT);
  }

  @Test
  void forgedCallbackIsForbiddenAndMovesNoPollWhileARealOneDoes() throws Exception {
    e2e.sim().renderTimeOverride(Duration.ofSeconds(3));
    try {
      String job = id("cb");
      e2e.commands().send(Commands.restyle(job, Instant.now()));
      assertThat(
              WorkerProbe.await(
                  Duration.ofSeconds(15), () -> e2e.sim().paidSubmissions().containsKey(job)))
          .isTrue();

      CallbackTokens tokens = tokens();
      String forged = tokens.token("some-other-job");
      assertThat(probe.callback(job, forged).status()).isEqualTo(403);
      String genuine = tokens.token(job);
      // one character changed (a token that starts with 'A' was accepted once: 1 in 64 runs)
      String altered = (genuine.charAt(0) == 'A' ? "B" : "A") + genuine.substring(1);
      assertThat(probe.callback(job, altered).status()).isEqualTo(403);
      Thread.sleep(1_000);
      assertThat(pollNow.countCallbackTickets(job))
          .as("no poll-now ticket for a forged callback")
          .isZero();

      // the genuine token is accepted and becomes exactly one poll-now ticket
      assertThat(probe.callback(job, tokens.token(job)).status()).isBetween(200, 299);
      assertThat(
              WorkerProbe.await(
                  Duration.ofSeconds(10), () -> pollNow.countCallbackTickets(job) >= 1))
          .isTrue();
      assertThat(e2e.events().awaitTerminal(List.of(job), DONE)).isEqualTo(1);
      assertThat(e2e.events().eventsOf(job)).singleElement().isInstanceOf(RenderCompleted.class);
    } finally {
      e2e.sim().renderTimeOverride(Duration.ofSeconds(1));
    }
  }

  @Test
  void aFloodOfForgedCallbacksIsRefusedAndGoodJobsComplete() throws Exception {
    List<String> good = List.of(id("flood-good"), id("flood-good"), id("flood-good"));
    String target = good.get(0);
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    int perThread = 500;
    int threads = 6;
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        running.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    String jobId = i % 2 == 0 ? target : "forged-" + thread + "-" + i;
                    int status = probe.callback(jobId, "forged" + UUID.randomUUID()).status();
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                  }
                }));
      }
      good.forEach(j -> e2e.commands().send(Commands.restyle(j, Instant.now())));
      for (Future<?> f : running) {
        f.get();
      }
    }
    assertThat(statuses.keySet()).as("only refusals: %s", statuses).isSubsetOf(403, 429);
    assertThat(statuses.values().stream().mapToLong(AtomicLong::get).sum())
        .isEqualTo((long) perThread * threads);
    assertThat(probe.ready().status()).isEqualTo(200);
    assertThat(e2e.events().awaitTerminal(good, DONE)).isEqualTo(good.size());
    good.forEach(
        j ->
            assertThat(e2e.events().eventsOf(j))
                .singleElement()
                .isInstanceOf(RenderCompleted.class));
    assertThat(pollNow.all()).noneMatch(r -> r.key() != null && r.key().startsWith("forged-"));
    assertThat(probe.metric("render_relay_callbacks_total", ""))
        .isGreaterThanOrEqualTo(perThread * threads);
  }

  /** A job whose outputs meet {@code fault} fails OUTPUT_REJECTED naming why; S3 stays empty. */
  private void assertRejected(Consumer<Faults> fault, String reason) throws Exception {
    fault.accept(e2e.sim().faults());
    String job = id("out");
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(job), DONE)).isEqualTo(1);
    Object event = e2e.events().eventsOf(job).get(0);
    assertThat(event).isInstanceOf(RenderFailed.class);
    RenderFailed failed = (RenderFailed) event;
    assertThat(failed.getReason()).isEqualTo(FailureReason.OUTPUT_REJECTED);
    assertThat(failed.getMessage()).contains(reason);
    assertThat(e2e.sim().paidSubmissions()).containsEntry(job, 1);
    List<S3Object> objects =
        s3.listObjectsV2(b -> b.bucket(e2e.lane().bucket()).prefix("renders/restyle/" + job + "/"))
            .contents();
    assertThat(objects).as("nothing written at the job's keys").isEmpty();
    assertThat(
            s3.listMultipartUploads(
                    b -> b.bucket(e2e.lane().bucket()).prefix("renders/restyle/" + job + "/"))
                .uploads())
        .as("no multipart upload left open")
        .isEmpty();
    // and the next job, without the fault, completes
    e2e.sim().faults().clear();
    String next = id("after");
    e2e.commands().send(Commands.restyle(next, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(next), DONE)).isEqualTo(1);
    assertThat(e2e.events().eventsOf(next)).singleElement().isInstanceOf(RenderCompleted.class);
  }

  private static CallbackTokens tokens() {
    return new CallbackTokens(
        new Secret(WorkerSettings.CALLBACK_SECRET),
        URI.create("http://127.0.0.1:" + settings.httpPort() + "/callbacks"));
  }

  private static String id(String what) {
    return what + "-" + UUID.randomUUID();
  }
}
