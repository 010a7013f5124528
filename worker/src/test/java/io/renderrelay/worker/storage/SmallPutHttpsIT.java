package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 over https: the SDK does not sign payloads ({@code UNSIGNED-PAYLOAD}), so a small PUT has no
 * signed SHA-256 to take and the copier hashes the buffer itself ({@link SignedPayload}); the
 * recorded SHA-256 is still the SHA-256 of the stored bytes. The store is S3Proxy on a TLS endpoint
 * with a self-signed certificate for 127.0.0.1, trusted through the JVM's trust store properties
 * (the SDK's Apache client uses the default trust managers), restored afterwards.
 */
@Timeout(120)
class SmallPutHttpsIT {
  private static final String PASSWORD = "changeit";
  private static final String[] TRUST_PROPERTIES = {
    "javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"
  };

  @TempDir static Path dir;

  private static final Map<String, String> saved = new HashMap<>();
  private static S3Proxy proxy;

  @BeforeAll
  static void startTlsS3() throws Exception {
    Path keyStore = dir.resolve("s3.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "s3",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=IP:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue())
        .as(new String(keytool.getInputStream().readAllBytes()))
        .isZero();
    for (String p : TRUST_PROPERTIES) {
      saved.put(p, System.getProperty(p));
    }
    System.setProperty("javax.net.ssl.trustStore", keyStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .secureEndpoint(URI.create("https://127.0.0.1:0"))
            .keyStore(keyStore.toString(), PASSWORD)
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, S3ProxyFixture.ACCESS, S3ProxyFixture.SECRET)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(25);
    }
    assertThat(proxy.getState()).isEqualTo("STARTED");
  }

  @AfterAll
  static void stopTlsS3() throws Exception {
    if (proxy != null) {
      proxy.stop();
    }
    saved.forEach(
        (p, v) -> {
          if (v == null) {
            System.clearProperty(p);
          } else {
            System.setProperty(p, v);
          }
        });
  }

  @Test
  void overHttpsASmallPutHashesItsBufferAndRecordsTheStoredBytes() throws Exception {
    String bucket = "t" + Long.toHexString(System.nanoTime());
    long part = 5L << 20;
    StorageSettings settings =
        S3ProxyFixture.settings(
            URI.create("https://127.0.0.1:" + proxy.getSecurePort()),
            bucket,
            part,
            64L << 20,
            true,
            Duration.ofSeconds(20));
    RequestCounter counter = new RequestCounter();
    try (OutputServer server = new OutputServer();
        SafeDownloader downloader = SafeDownloader.fromSettings(settings);
        S3Clients clients =
            new S3ClientFactory(settings, S3ClientFactory.Tuning.defaults())
                .createPair(List.of(counter), List.of())) {
      clients.s3().createBucket(b -> b.bucket(bucket));
      S3StreamingCopier copier =
          new S3StreamingCopier(
              clients,
              downloader,
              new S3StreamingCopier.Options(bucket, (int) part, 8L << 20, true),
              new RecordingMetrics(),
              Clock.systemUTC());
      int small = 64 * 1024;
      int streamed = 1024 * 1024;
      server.pattern("/small.png", 21, small);
      server.pattern("/streamed.mp4", 22, streamed);

      CopiedObject smallCopy =
          copier.copy(server.url("/small.png"), "k/small.png", "image/png", PriorCopies.NONE);
      assertThat(counter.lastHeadersLowerCase("PutObject"))
          .containsEntry("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
      assertThat(smallCopy.sha256Hex()).isEqualTo(PatternBytes.sha256(21, small));
      assertThat(readBack(clients, bucket, "k/small.png")).isEqualTo(PatternBytes.bytes(21, small));

      CopiedObject streamedCopy =
          copier.copy(server.url("/streamed.mp4"), "k/streamed.mp4", "video/mp4", PriorCopies.NONE);
      assertThat(counter.lastHeadersLowerCase("PutObject").get("x-amz-content-sha256"))
          .contains("UNSIGNED");
      // unsigned, but its SHA-256 trailer is the one S3 checks and the copy records
      assertThat(counter.lastHeadersLowerCase("PutObject"))
          .containsEntry("x-amz-trailer", "x-amz-checksum-sha256");
      assertThat(streamedCopy.sha256Hex()).isEqualTo(PatternBytes.sha256(22, streamed));
      assertThat(readBack(clients, bucket, "k/streamed.mp4"))
          .isEqualTo(PatternBytes.bytes(22, streamed));
    }
  }

  private static byte[] readBack(S3Clients clients, String bucket, String key) {
    return clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }
}
