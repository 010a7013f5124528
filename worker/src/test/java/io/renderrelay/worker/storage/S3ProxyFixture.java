package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;

/** A real S3Proxy on 127.0.0.1:0 (transient or filesystem store), path-style, SigV4 auth. */
final class S3ProxyFixture implements AutoCloseable {
  static final String ACCESS = "test-access";
  static final String SECRET = "test-secret-key";

  private final S3Proxy proxy;
  private final URI endpoint;

  private S3ProxyFixture(BlobStore store) throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
      Thread.sleep(25);
    }
    if (!"STARTED".equals(proxy.getState())) {
      throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
    }
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  static S3ProxyFixture inMemory() throws Exception {
    return new S3ProxyFixture(new TransientNio2BlobStore());
  }

  static S3ProxyFixture onDisk(Path dir) throws Exception {
    return new S3ProxyFixture(new FilesystemNio2BlobStore(dir.toString()));
  }

  URI endpoint() {
    return endpoint;
  }

  /** Storage settings pointing at this proxy. */
  StorageSettings settings(
      String bucket, long partSize, long maxBytes, boolean allowInsecure, Duration timeout) {
    return settings(endpoint, bucket, partSize, maxBytes, allowInsecure, timeout);
  }

  /** Storage settings with this proxy's credentials pointing at {@code at} (a proxy in front). */
  static StorageSettings settings(
      URI at,
      String bucket,
      long partSize,
      long maxBytes,
      boolean allowInsecure,
      Duration timeout) {
    return new StorageSettings(
        Optional.of(at),
        "us-east-1",
        bucket,
        "renders",
        true,
        Optional.of(ACCESS),
        Optional.of(new Secret(SECRET)),
        partSize,
        maxBytes,
        Set.of(),
        allowInsecure,
        timeout,
        3);
  }

  S3Clients clients(StorageSettings settings, List<ExecutionInterceptor> interceptors) {
    return new S3ClientFactory(settings, S3ClientFactory.Tuning.defaults())
        .createPair(interceptors, List.of());
  }

  S3Client client(StorageSettings settings, List<ExecutionInterceptor> interceptors) {
    return new S3ClientFactory(settings, S3ClientFactory.Tuning.defaults()).create(interceptors);
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping s3proxy failed", e);
    }
  }
}
