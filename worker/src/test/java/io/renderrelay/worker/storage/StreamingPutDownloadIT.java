package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import io.renderrelay.worker.retry.Backoff;
import io.renderrelay.worker.retry.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Review of issue 15: the streaming PUT now reads the download on the SDK's sending thread (no
 * read-ahead thread), so what ends a copy stuck in that read? Here the download's read timeout is
 * long (30 s) and never the bound: a SIGTERM drain's interrupt (copies run on virtual threads) and
 * the S3 client's attempt timeout must end it, write nothing and give the download back.
 */
@Timeout(120)
class StreamingPutDownloadIT {
  private static final long MIB = 1024 * 1024;
  private static final long PART = 5 * MIB;
  private static final long SIZE = 4 * MIB;
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(3);

  private static S3ProxyFixture s3proxy;

  private final RecordingMetrics metrics = new RecordingMetrics();
  private final CountDownLatch release = new CountDownLatch(1);
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
    server = new OutputServer();
    bucket = "s" + Long.toHexString(System.nanoTime());
    StorageSettings settings = s3proxy.settings(bucket, PART, 64 * MIB, true, READ_TIMEOUT);
    S3ClientFactory.Tuning defaults = S3ClientFactory.Tuning.defaults();
    S3ClientFactory.Tuning tuning =
        new S3ClientFactory.Tuning(
            defaults.connectTimeout(),
            defaults.socketTimeout(),
            ATTEMPT_TIMEOUT,
            Duration.ofSeconds(20),
            defaults.maxAttempts(),
            4);
    clients = new S3ClientFactory(settings, tuning).createPair(List.of(), List.of());
    clients.s3().createBucket(b -> b.bucket(bucket));
    downloader = SafeDownloader.fromSettings(settings, 1); // one connection: a kept lease shows
    copier =
        new S3StreamingCopier(
            clients,
            downloader,
            new S3StreamingCopier.Options(bucket, (int) PART, 64 * MIB, true),
            metrics,
            Clock.systemUTC());
  }

  @AfterEach
  void tearDown() throws IOException {
    release.countDown();
    server.close();
    downloader.close();
    clients.close();
  }

  /**
   * A drain that runs out of time interrupts the copies (ConcurrentCopies shuts its virtual threads
   * down). A copy blocked in the download's read on the SDK's thread ends at once, keeps the
   * interrupt, and the retrying copier does not start a second download while the worker stops.
   */
  @Test
  void anInterruptMidBodyEndsTheCopyAtOnceAndNothingIsRetriedOrWritten() throws Exception {
    CountDownLatch sent = new CountDownLatch(1);
    holdAfter("/hold.mp4", MIB, sent);
    RetryingCopier retrying =
        new RetryingCopier(
            copier,
            Backoff.doubling(Duration.ofMillis(10), Duration.ofMillis(100), new Random(3)),
            3,
            Sleeper.system(),
            metrics);
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    AtomicBoolean keptInterrupt = new AtomicBoolean();
    Thread copy = copyOnAVirtualThread(retrying, "hold", outcome, keptInterrupt);
    assertThat(sent.await(20, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(500); // the SDK has sent the first MiB and waits in the download's read
    long start = System.nanoTime();
    copy.interrupt();
    assertThat(copy.join(Duration.ofSeconds(10))).as("copy ended after the interrupt").isTrue();
    long took = (System.nanoTime() - start) / 1_000_000;

    assertThat(took).isLessThan(READ_TIMEOUT.toMillis() / 3);
    assertThat(outcome.get()).isInstanceOf(CopyException.Retryable.class);
    assertThat(keptInterrupt).as("interrupt flag kept for the drain").isTrue();
    assertThat(server.hits("/hold.mp4")).as("no second download while stopping").isEqualTo(1);
    assertThat(exists("k/hold.mp4")).isFalse();

    // one download connection: the interrupted copy gave its lease back
    server.pattern("/next.mp4", 5, SIZE);
    CopiedObject next =
        copier.copy(server.url("/next.mp4"), "k/next.mp4", "video/mp4", PriorCopies.NONE);
    assertThat(next.sha256Hex()).isEqualTo(PatternBytes.sha256(5, SIZE));
  }

  /**
   * A download that trickles (a few KiB every 100 ms, never idle for its read timeout) holds the
   * SDK's thread in the body's read for as long as it trickles. The S3 client's attempt timeout
   * must still end the copy (on the worker's virtual threads its interrupt closes the download).
   */
  @Test
  void aTricklingDownloadIsEndedByTheS3AttemptTimeout() throws Exception {
    server.on(
        "/trickle.mp4",
        ex -> {
          ex.sendResponseHeaders(200, SIZE);
          OutputStream out = ex.getResponseBody();
          byte[] some = PatternBytes.bytes(6, 4096);
          try {
            for (long n = 0; n + some.length <= SIZE && release.getCount() > 0; n += some.length) {
              out.write(some);
              out.flush();
              Thread.sleep(100);
            }
          } catch (IOException | InterruptedException e) {
            // the copy hung up: done
          }
        });
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    long start = System.nanoTime();
    Thread copy = copyOnAVirtualThread(copier, "trickle", outcome, new AtomicBoolean());
    assertThat(copy.join(Duration.ofSeconds(30))).as("copy ended by the attempt timeout").isTrue();
    long took = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "DOWNLOAD-IT trickling download ended after %d ms: %s%n", took, outcome.get());

    assertThat(took).isLessThan(ATTEMPT_TIMEOUT.toMillis() * 4);
    assertThat(outcome.get()).isInstanceOf(CopyException.Retryable.class);
    assertThat(exists("k/trickle.mp4")).isFalse();
  }

  /**
   * A CDN that sends more bytes than its Content-Length announced: the body is the announced bytes
   * (HTTP), so the object holds exactly those, and the SHA-256 the copy records (the trailer's,
   * computed by the SDK) is theirs: the extra bytes reach neither S3 nor the ledger.
   */
  @Test
  void aDownloadSendingMoreThanItAnnouncedStoresAndRecordsTheAnnouncedBytes() throws Exception {
    int announced = (int) MIB;
    byte[] body = PatternBytes.bytes(8, announced);
    byte[] extra = PatternBytes.bytes(9, 64 * 1024);
    try (ServerSocket socket = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread cdn =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket s = socket.accept()) {
                      readHeaders(s.getInputStream());
                      OutputStream out = s.getOutputStream();
                      out.write(
                          ("HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: "
                                  + announced
                                  + "\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
                      out.write(body);
                      out.write(extra);
                      out.flush();
                    } catch (IOException e) {
                      // the copy hung up early: its assertions say what went wrong
                    }
                  });
      URI url = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/over.mp4");
      CopiedObject copied = copier.copy(url, "k/over.mp4", "video/mp4", PriorCopies.NONE);
      assertThat(cdn.join(Duration.ofSeconds(10))).isTrue();

      assertThat(copied.sizeBytes()).isEqualTo(announced);
      assertThat(copied.sha256Hex()).isEqualTo(PatternBytes.sha256(8, announced));
      assertThat(
              clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key("k/over.mp4")).asByteArray())
          .isEqualTo(body);
    }
  }

  private static void readHeaders(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended before its headers");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  /**
   * Copies {@code /<name>.mp4} to {@code k/<name>.mp4} on a virtual thread (as the worker's copies
   * run); its failure goes to {@code outcome}, whether it ended interrupted to {@code interrupted}.
   */
  private Thread copyOnAVirtualThread(
      RenderCopier with,
      String name,
      AtomicReference<Throwable> outcome,
      AtomicBoolean interrupted) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try {
                with.copy(
                    server.url("/" + name + ".mp4"),
                    "k/" + name + ".mp4",
                    "video/mp4",
                    PriorCopies.NONE);
              } catch (CopyException | RuntimeException e) {
                outcome.set(e);
              }
              interrupted.set(Thread.currentThread().isInterrupted());
            });
  }

  /** Announces SIZE bytes, sends {@code first} of them, then waits until the test ends. */
  private void holdAfter(String path, long first, CountDownLatch sent) {
    server.on(
        path,
        ex -> {
          ex.sendResponseHeaders(200, SIZE);
          OutputStream out = ex.getResponseBody();
          PatternBytes.write(7, first, out);
          out.flush();
          sent.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
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
}
