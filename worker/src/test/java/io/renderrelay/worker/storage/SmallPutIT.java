package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The small PUT (an output read whole, sent as a plain body by the plain-payload client, its
 * recorded SHA-256 the payload hash the SDK signed) at its size limit, under SDK retries, with its
 * answer lost, with its body changed on the way and many at once: the SHA-256 it records is always
 * the SHA-256 of the bytes S3 holds, and nothing is overwritten.
 */
@Timeout(120)
class SmallPutIT {
  private static final int LIMIT = CopyRun.SMALL_PUT_MAX_BYTES;

  private static S3ProxyFixture s3proxy;

  private final RequestCounter counter = new RequestCounter();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private FaultyS3Proxy faulty;
  private OutputServer server;
  private String bucket;
  private S3Clients clients;
  private SafeDownloader downloader;
  private S3StreamingCopier copier;

  @BeforeAll
  static void startS3() throws Exception {
    s3proxy = S3ProxyFixture.inMemory();
  }

  @AfterAll
  static void stopS3() {
    s3proxy.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    faulty = new FaultyS3Proxy(s3proxy.endpoint());
    server = new OutputServer();
    bucket = "s" + Long.toHexString(System.nanoTime());
    long part = 5L << 20;
    StorageSettings settings =
        S3ProxyFixture.settings(
            faulty.endpoint(), bucket, part, 64L << 20, true, Duration.ofSeconds(20));
    clients = s3proxy.clients(settings, List.of(counter));
    clients.s3().createBucket(b -> b.bucket(bucket));
    downloader = SafeDownloader.fromSettings(settings);
    copier =
        new S3StreamingCopier(
            clients,
            downloader,
            new S3StreamingCopier.Options(bucket, (int) part, 8L << 20, true),
            metrics,
            Clock.systemUTC());
    counter.reset();
  }

  @AfterEach
  void tearDown() throws Exception {
    server.close();
    downloader.close();
    clients.close();
    faulty.close();
  }

  @Test
  void anOutputOfExactlyTheLimitIsOnePlainPutAndOneByteMoreIsStreamed() throws Exception {
    server.pattern("/limit.png", 11, LIMIT);
    CopiedObject atLimit = copier.copy(server.url("/limit.png"), "k/limit.png", "image/png");
    assertThat(counter.lastHeadersLowerCase("PutObject"))
        .containsEntry("x-amz-content-sha256", PatternBytes.sha256(11, LIMIT));
    assertThat(atLimit.sha256Hex()).isEqualTo(PatternBytes.sha256(11, LIMIT));
    assertThat(readBack("k/limit.png")).isEqualTo(PatternBytes.bytes(11, LIMIT));

    server.pattern("/over.png", 12, LIMIT + 1L);
    CopiedObject over = copier.copy(server.url("/over.png"), "k/over.png", "image/png");
    assertThat(counter.lastHeadersLowerCase("PutObject").get("x-amz-content-sha256"))
        .startsWith("STREAMING");
    assertThat(over.sha256Hex()).isEqualTo(PatternBytes.sha256(12, LIMIT + 1L));
    assertThat(readBack("k/over.png")).isEqualTo(PatternBytes.bytes(12, LIMIT + 1));
  }

  @Test
  void aSmallPutRefusedMidBodyIsRetriedByTheSdkAndRecordsTheStoredBytes() throws Exception {
    server.pattern("/p.png", 13, 64 * 1024);
    faulty.failPuts(1, FaultyS3Proxy.Fault.SLOW_DOWN, 1000);
    CopiedObject copied =
        copier.copy(server.url("/p.png"), "k/p.png", "image/png", PriorCopies.NONE);

    assertThat(faulty.failed()).isEqualTo(1);
    assertThat(counter.count("PutObject")).as("one call, retried inside the SDK").isEqualTo(1);
    assertThat(copied.sha256Hex()).isEqualTo(PatternBytes.sha256(13, 64 * 1024));
    assertThat(readBack("k/p.png")).isEqualTo(PatternBytes.bytes(13, 64 * 1024));
    assertThat(metrics.last()).isEqualTo(CopyMetrics.Outcome.UPLOADED);
  }

  @Test
  void aSmallPutStoredButAnsweredWithA500IsRecognisedAndNotWrittenAgain() throws Exception {
    server.pattern("/lost.png", 14, 64 * 1024);
    faulty.failPuts(1, FaultyS3Proxy.Fault.LOST_RESPONSE, 0);
    CopiedObject copied =
        copier.copy(server.url("/lost.png"), "k/lost.png", "image/png", PriorCopies.NONE);

    // the SDK's retry met the stored object (412) and the verification pass judged it the same
    assertThat(faulty.failed()).isEqualTo(1);
    assertThat(copied.sha256Hex()).isEqualTo(PatternBytes.sha256(14, 64 * 1024));
    assertThat(readBack("k/lost.png")).isEqualTo(PatternBytes.bytes(14, 64 * 1024));
    assertThat(metrics.last()).isEqualTo(CopyMetrics.Outcome.ALREADY_PRESENT);
  }

  /** A plain small PUT (64 KiB) and a streamed one (1 MiB). */
  @ParameterizedTest
  @ValueSource(ints = {64 * 1024, 1024 * 1024})
  void aBodyChangedOnTheWayIsRefusedAndNothingIsRecordedOrStored(int size) throws Exception {
    server.pattern("/c.png", 15, size);
    faulty.failPuts(1, FaultyS3Proxy.Fault.CORRUPT, 1000);
    assertThatThrownBy(
            () -> copier.copy(server.url("/c.png"), "k/c.png", "image/png", PriorCopies.NONE))
        .isInstanceOf(CopyException.Retryable.class);
    assertThat(faulty.failed()).isEqualTo(1);
    assertThat(exists("k/c.png")).isFalse();

    CopiedObject copied =
        copier.copy(server.url("/c.png"), "k/c.png", "image/png", PriorCopies.POSSIBLE);
    assertThat(copied.sha256Hex()).isEqualTo(PatternBytes.sha256(15, size));
    assertThat(readBack("k/c.png")).isEqualTo(PatternBytes.bytes(15, size));
  }

  @Test
  void theStoreChecksTheSignedSha256OfAPlainBodyOnItsOwn() {
    // what SignedPayload relies on: without any x-amz-checksum header, a changed plain body is
    // still refused, by the signed payload hash alone
    faulty.failPuts(1, FaultyS3Proxy.Fault.CORRUPT, 10);
    byte[] body = PatternBytes.bytes(16, 4096);
    assertThatThrownBy(
            () ->
                clients
                    .plainPayload()
                    .putObject(
                        b -> b.bucket(bucket).key("k/signed.bin"),
                        software.amazon.awssdk.core.sync.RequestBody.fromBytes(body)))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("XAmzContentSHA256Mismatch");
            });
    assertThat(counter.lastHeadersLowerCase("PutObject"))
        .doesNotContainKeys("x-amz-checksum-crc32c", "x-amz-trailer");
    assertThat(exists("k/signed.bin")).isFalse();
  }

  @Test
  void smallPutsAtOnceEachRecordTheSha256OfTheirOwnBytes() throws Exception {
    int[] sizes = {0, 1, 1000, 64 * 1024, LIMIT};
    int copies = 40;
    for (int i = 0; i < copies; i++) {
      server.pattern("/m" + i + ".png", 100 + i, sizes[i % sizes.length]);
    }
    List<Future<CopiedObject>> done = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < copies; i++) {
        String path = "/m" + i + ".png";
        done.add(
            threads.submit(
                () -> copier.copy(server.url(path), "k" + path, "image/png", PriorCopies.NONE)));
      }
      for (int i = 0; i < copies; i++) {
        int size = sizes[i % sizes.length];
        CopiedObject copied = done.get(i).get(60, TimeUnit.SECONDS);
        assertThat(copied.sha256Hex())
            .as("copy %d", i)
            .isEqualTo(PatternBytes.sha256(100 + i, size));
        assertThat(readBack("k/m" + i + ".png"))
            .as("copy %d", i)
            .isEqualTo(PatternBytes.bytes(100 + i, size));
      }
    }
  }

  private boolean exists(String key) {
    try {
      clients.s3().headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private byte[] readBack(String key) {
    return clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }
}
