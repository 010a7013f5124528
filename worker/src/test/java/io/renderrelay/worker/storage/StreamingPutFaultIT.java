package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import io.renderrelay.worker.retry.Backoff;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The streaming PUT (the download is its body) when either side fails mid-body: S3 answering 503 or
 * resetting, the download stalling, the key taken. Each copy must fail or finish with a clear
 * outcome, leave no object behind, and return its download connection (the download pool here has
 * one connection, so a leaked lease fails the next copy).
 */
@Timeout(120)
class StreamingPutFaultIT {
  private static final long MIB = 1024 * 1024;
  private static final long PART = 5 * MIB;
  private static final long SIZE = 4 * MIB;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);

  private static S3ProxyFixture s3proxy;

  private final RequestCounter counter = new RequestCounter();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final CountDownLatch stalled = new CountDownLatch(1);
  private FaultyS3Proxy faulty;
  private OutputServer server;
  private String bucket;
  private S3Clients clients;
  private S3Client s3;
  private SafeDownloader downloader;
  private S3StreamingCopier copier;

  @BeforeAll
  static void startS3() throws Exception {
    s3proxy = S3ProxyFixture.inMemory();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3proxy.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    faulty = new FaultyS3Proxy(s3proxy.endpoint());
    server = new OutputServer();
    bucket = "f" + Long.toHexString(System.nanoTime());
    StorageSettings settings =
        new StorageSettings(
            Optional.of(faulty.endpoint()),
            "us-east-1",
            bucket,
            "renders",
            true,
            Optional.of(S3ProxyFixture.ACCESS),
            Optional.of(new Secret(S3ProxyFixture.SECRET)),
            PART,
            64 * MIB,
            Set.of(),
            true,
            READ_TIMEOUT,
            3);
    clients =
        new S3ClientFactory(settings, S3ClientFactory.Tuning.defaults().withMaxConnections(2))
            .createPair(List.of(counter), List.of());
    s3 = clients.s3();
    s3.createBucket(b -> b.bucket(bucket));
    downloader = SafeDownloader.fromSettings(settings, 1);
    copier =
        new S3StreamingCopier(
            clients,
            downloader,
            new S3StreamingCopier.Options(bucket, (int) PART, 64 * MIB, true),
            metrics,
            Clock.systemUTC());
    counter.reset();
  }

  @AfterEach
  void tearDown() throws IOException {
    stalled.countDown();
    server.close();
    downloader.close();
    clients.close();
    faulty.close();
  }

  @Test
  void putsFailingMidBodyLeaveNoObjectNoThreadAndNoDownloadLease() throws Exception {
    server.pattern("/v.mp4", 7, SIZE);
    for (int i = 0; i < 12; i++) {
      faulty.failPuts(
          1, i % 2 == 0 ? FaultyS3Proxy.Fault.SLOW_DOWN : FaultyS3Proxy.Fault.RESET, MIB);
      assertThatThrownBy(
              () -> copier.copy(server.url("/v.mp4"), "k/v.mp4", "video/mp4", PriorCopies.NONE))
          .as("copy %d", i)
          .isInstanceOf(CopyException.Retryable.class);
      assertThat(exists("k/v.mp4")).isFalse();
    }
    assertThat(faulty.failed()).isEqualTo(12);

    // one download connection: had any failed copy kept its lease, this copy could not download
    CopiedObject copied =
        copier.copy(server.url("/v.mp4"), "k/v.mp4", "video/mp4", PriorCopies.NONE);
    assertThat(copied.sha256Hex()).isEqualTo(PatternBytes.sha256(7, SIZE));
    assertThat(readBack("k/v.mp4")).isEqualTo(PatternBytes.bytes(7, (int) SIZE));
  }

  @Test
  void theRetryingCopierRecoversFromAPutResetMidBody() throws Exception {
    server.pattern("/r.mp4", 8, SIZE);
    faulty.failPuts(1, FaultyS3Proxy.Fault.RESET, 2 * MIB);
    RenderCopier retrying = retrying(1);
    CopiedObject copied =
        retrying.copy(server.url("/r.mp4"), "k/r.mp4", "video/mp4", PriorCopies.NONE);
    assertThat(copied.sha256Hex()).isEqualTo(PatternBytes.sha256(8, SIZE));
    assertThat(readBack("k/r.mp4")).isEqualTo(PatternBytes.bytes(8, (int) SIZE));
    assertThat(faulty.failed()).isEqualTo(1);
  }

  // Review of issue 15 (SDK retries): a streaming PUT stored whole whose answer is lost (a 500).
  // The SDK's retry cannot replay the download, so the attempt fails; the copy's retry finds the
  // key and judges it by a verification pass, and nothing is written twice.
  @Test
  void aStreamingPutStoredButAnsweredWithA500IsJudgedByTheRetryNotWrittenAgain() throws Exception {
    server.pattern("/lost.mp4", 17, SIZE);
    faulty.failPuts(1, FaultyS3Proxy.Fault.LOST_RESPONSE, 0);
    RenderCopier retrying = retrying(2);
    CopiedObject copied =
        retrying.copy(server.url("/lost.mp4"), "k/lost.mp4", "video/mp4", PriorCopies.NONE);

    assertThat(faulty.failed()).isEqualTo(1);
    assertThat(copied.sha256Hex()).isEqualTo(PatternBytes.sha256(17, SIZE));
    assertThat(readBack("k/lost.mp4")).isEqualTo(PatternBytes.bytes(17, (int) SIZE));
    assertThat(counter.count("PutObject")).as("no second write").isEqualTo(1);
    assertThat(metrics.last()).isEqualTo(CopyMetrics.Outcome.ALREADY_PRESENT);
  }

  @Test
  void anEmptyOutputIsCopiedInOneAttempt() throws Exception {
    server.pattern("/empty", 9, 0);
    CopiedObject copied =
        copier.copy(server.url("/empty"), "k/empty.png", "image/png", PriorCopies.NONE);
    assertThat(copied.sizeBytes()).isZero();
    assertThat(copied.sha256Hex()).isEqualTo(PatternBytes.sha256(9, 0));
    assertThat(readBack("k/empty.png")).isEmpty();
    assertThat(metrics.last()).isEqualTo(CopyMetrics.Outcome.UPLOADED);
  }

  @Test
  void aDownloadStallingMidBodyFailsTheCopyWithinItsReadTimeout() throws Exception {
    server.on(
        "/stall",
        ex -> {
          ex.sendResponseHeaders(200, SIZE);
          var out = ex.getResponseBody();
          PatternBytes.write(10, MIB, out);
          out.flush();
          try {
            stalled.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> copier.copy(server.url("/stall"), "k/stall.mp4", "video/mp4", PriorCopies.NONE))
        .isInstanceOf(CopyException.Retryable.class)
        .hasMessageContaining("127.0.0.1");
    long took = (System.nanoTime() - start) / 1_000_000;
    assertThat(took).isLessThan(READ_TIMEOUT.toMillis() * 4);
    assertThat(exists("k/stall.mp4")).isFalse();
  }

  @Test
  void aRefusedPutGivesItsDownloadBackBeforeJudgingTheExistingObject() throws Exception {
    long size = 20 * MIB;
    server.pattern("/big.mp4", 11, size);
    byte[] theirs = PatternBytes.bytes(12, 1000);
    s3.putObject(b -> b.bucket(bucket).key("k/big.mp4"), RequestBody.fromBytes(theirs));
    // The caller says no earlier copy (no HEAD): the conditional PUT is refused, and the existing
    // object is judged by a second download while the pool has one connection.
    assertThatThrownBy(
            () -> copier.copy(server.url("/big.mp4"), "k/big.mp4", "video/mp4", PriorCopies.NONE))
        .isInstanceOf(CopyException.Rejected.class)
        .hasMessageContaining("different content");
    assertThat(readBack("k/big.mp4")).isEqualTo(theirs);
  }

  /**
   * S3 with Expect: 100-continue refuses a taken key on the headers, before the body: the copy's
   * download is then open and unread when the existing object is judged by a second download.
   */
  @Test
  void aPutRefusedOnItsHeadersGivesItsDownloadBackBeforeTheVerificationPass() throws Exception {
    long size = 20 * MIB;
    server.pattern("/early.mp4", 13, size);
    s3.putObject(
        b -> b.bucket(bucket).key("k/early.mp4"), RequestBody.fromBytes(PatternBytes.bytes(13, 9)));
    faulty.failPuts(1, FaultyS3Proxy.Fault.PRECONDITION_FAILED, 0);
    assertThatThrownBy(
            () ->
                copier.copy(server.url("/early.mp4"), "k/early.mp4", "video/mp4", PriorCopies.NONE))
        .isInstanceOf(CopyException.Rejected.class)
        .hasMessageContaining("different content");
    assertThat(faulty.failed()).isEqualTo(1);
  }

  /** The copier with three attempts and short backoffs that are not waited for. */
  private RenderCopier retrying(long seed) {
    return new RetryingCopier(
        copier,
        Backoff.doubling(Duration.ofMillis(10), Duration.ofMillis(100), new Random(seed)),
        3,
        d -> {},
        metrics);
  }

  private boolean exists(String key) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private byte[] readBack(String key) {
    return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }
}
