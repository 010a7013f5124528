package io.renderrelay.devstack.s3;

import io.renderrelay.devstack.EmbeddedServer;
import io.renderrelay.devstack.LocalPorts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server inside this JVM: s3proxy over its file-system blob store (objects on
 * disk, not in the heap), path-style, on 127.0.0.1 with one fixed access key (AWS signature v2 or
 * v4).
 *
 * <p>{@link #stop()} makes S3 unreachable (connections refused) while keeping the stored objects;
 * {@link #start()} serves them again on the same port. {@link #pause(Duration)} does both.
 */
public final class EmbeddedS3 extends EmbeddedServer<S3Proxy> {
  /** The region clients should sign for. */
  public static final String REGION = "us-east-1";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3.class);

  private final EmbeddedS3Config config;
  private BlobStore blobStore;
  private int port;

  /** Prepares (does not start) the server; nothing binds until {@link #start()}. */
  public EmbeddedS3(EmbeddedS3Config config) {
    super("embedded s3", config.dataDir(), "s3");
    this.config = config;
    this.port = config.port();
  }

  @Override
  protected S3Proxy startServer() {
    if (blobStore == null) {
      blobStore = new FilesystemNio2BlobStore(dataDir().toAbsolutePath().toString());
    }
    S3Proxy p =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(URI.create("http://" + LocalPorts.HOST + ":" + port))
            .awsAuthentication(
                AuthenticationType.AWS_V2_OR_V4, config.accessKey(), config.secretKey())
            .ignoreUnknownHeaders(true)
            .stopTimeout(0)
            .build();
    try {
      p.start();
    } catch (Exception e) {
      stopQuietly(p);
      throw new IllegalStateException(
          "embedded s3 failed to start on port " + port + " (data dir " + dataDir() + ")", e);
    }
    port = p.getPort();
    return p;
  }

  @Override
  protected String address() {
    return endpoint().toString();
  }

  @Override
  protected void release() {
    if (blobStore != null) {
      blobStore.close();
    }
  }

  /**
   * Makes S3 unreachable for {@code duration}, then serves again; returns at once with a future
   * that completes when it serves again (or fails if it could not restart).
   */
  public CompletableFuture<Void> pause(Duration duration) {
    stop();
    CompletableFuture<Void> resumed = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("embedded-s3-pause")
        .start(
            () -> {
              try {
                Thread.sleep(duration);
                start();
                resumed.complete(null);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                resumed.completeExceptionally(e);
              } catch (RuntimeException e) {
                resumed.completeExceptionally(e);
              }
            });
    return resumed;
  }

  /** {@code http://127.0.0.1:<port>}; known after the first start. */
  public synchronized URI endpoint() {
    if (port == 0) {
      throw new IllegalStateException("embedded s3 has not been started yet");
    }
    return URI.create("http://" + LocalPorts.HOST + ":" + port);
  }

  /** The HTTP port (known after the first start). */
  public synchronized int port() {
    return port;
  }

  /** The accepted access key id. */
  public String accessKey() {
    return config.accessKey();
  }

  /** The secret for {@link #accessKey()}. */
  public String secretKey() {
    return config.secretKey();
  }

  /** The region clients sign for: {@value #REGION}. */
  public String region() {
    return REGION;
  }

  /** Where objects are stored. */
  public Path dataDir() {
    return dataDirectory();
  }

  /** Creates {@code bucket} if it does not exist yet (works whether or not the server runs). */
  public synchronized void createBucket(String bucket) {
    if (blobStore == null) {
      throw new IllegalStateException("embedded s3 has not been started yet");
    }
    if (!blobStore.containerExists(bucket)) {
      blobStore.createContainer(bucket);
    }
  }

  /** S3 becomes unreachable (connections refused). */
  @Override
  protected void stopQuietly(S3Proxy p) {
    try {
      p.stop();
    } catch (Exception e) {
      LOG.warn("embedded s3 did not stop cleanly", e);
    }
  }
}
