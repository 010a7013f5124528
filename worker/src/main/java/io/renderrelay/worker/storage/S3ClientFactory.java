package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * The one place that builds the worker's {@link S3Client}: synchronous, Apache HTTP client,
 * endpoint override and path-style for local S3, static credentials when configured (else the
 * default provider chain), bounded timeouts and the SDK standard retry strategy with a bounded
 * attempt count.
 *
 * <p>Flexible checksums are set to WHEN_REQUIRED: only requests that name an algorithm carry one
 * (the copier's writes name CRC32C, which S3 verifies); other calls send none, since not every
 * S3-compatible store understands the SDK's default checksum trailers.
 */
public final class S3ClientFactory {

  /**
   * Client tuning not present in StorageSettings (constructor parameter, defaults below).
   *
   * @param connectTimeout TCP connect timeout
   * @param socketTimeout longest wait for any byte
   * @param apiCallAttemptTimeout one HTTP attempt (must cover an UploadPart and a 5 GiB copy)
   * @param apiCallTimeout one API call including SDK retries
   * @param maxAttempts SDK attempts per call (1 = no SDK retry)
   * @param maxConnections connection pool size
   */
  public record Tuning(
      Duration connectTimeout,
      Duration socketTimeout,
      Duration apiCallAttemptTimeout,
      Duration apiCallTimeout,
      int maxAttempts,
      int maxConnections) {
    public Tuning {
      if (maxAttempts < 1 || maxAttempts > 10 || maxConnections < 1) {
        throw new IllegalArgumentException("S3 maxAttempts must be 1..10, maxConnections >= 1");
      }
    }

    /** The same tuning with a pool of {@code connections}. */
    public Tuning withMaxConnections(int connections) {
      return new Tuning(
          connectTimeout,
          socketTimeout,
          apiCallAttemptTimeout,
          apiCallTimeout,
          maxAttempts,
          connections);
    }

    public static Tuning defaults() {
      return new Tuning(
          Duration.ofSeconds(5),
          Duration.ofSeconds(60),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          3,
          50);
    }
  }

  private final StorageSettings settings;
  private final Tuning tuning;

  public S3ClientFactory(StorageSettings settings, Tuning tuning) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tuning = Objects.requireNonNull(tuning, "tuning");
  }

  public S3Client create() {
    return create(List.of());
  }

  /** With extra SDK interceptors (metrics, tests that count requests). */
  public S3Client create(List<ExecutionInterceptor> interceptors) {
    return create(interceptors, List.of());
  }

  /** With extra SDK interceptors and metric publishers (issue 17: connection pool metrics). */
  public S3Client create(
      List<ExecutionInterceptor> interceptors,
      List<software.amazon.awssdk.metrics.MetricPublisher> publishers) {
    return builder(interceptors, publishers).httpClientBuilder(http()).build();
  }

  /**
   * The copier's two clients ({@link S3Clients}) over one connection pool, each with this factory's
   * settings, tuning, interceptors and metric publishers; the second sends bodies without
   * aws-chunked encoding (its auth schemes are set here, once: as a per-request plugin the SDK
   * rebuilt the client configuration for every request).
   */
  public S3Clients createPair(
      List<ExecutionInterceptor> interceptors,
      List<software.amazon.awssdk.metrics.MetricPublisher> publishers) {
    SdkHttpClient pool = http().build();
    S3Client s3 = null;
    try {
      s3 = builder(plus(interceptors, new TrailerChecksum()), publishers).httpClient(pool).build();
      S3Client plain =
          builder(plus(interceptors, new SignedPayload()), publishers)
              .httpClient(pool)
              .authSchemeProvider(PlainPayload.authSchemes(S3AuthSchemeProvider.defaultProvider()))
              .build();
      return new S3Clients(s3, plain, pool);
    } catch (RuntimeException e) {
      try (pool) {
        if (s3 != null) {
          s3.close();
        }
      }
      throw e;
    }
  }

  /** {@code interceptors} and then {@code own}, the interceptor one client of the pair needs. */
  private static List<ExecutionInterceptor> plus(
      List<ExecutionInterceptor> interceptors, ExecutionInterceptor own) {
    List<ExecutionInterceptor> all = new java.util.ArrayList<>(interceptors);
    all.add(own);
    return all;
  }

  /** {@link #createPair} without interceptors or metric publishers. */
  public S3Clients createPair() {
    return createPair(List.of(), List.of());
  }

  private ApacheHttpClient.Builder http() {
    return ApacheHttpClient.builder()
        .connectionTimeout(tuning.connectTimeout())
        .socketTimeout(tuning.socketTimeout())
        .maxConnections(tuning.maxConnections());
  }

  private S3ClientBuilder builder(
      List<ExecutionInterceptor> interceptors,
      List<software.amazon.awssdk.metrics.MetricPublisher> publishers) {
    var override =
        ClientOverrideConfiguration.builder()
            .metricPublishers(publishers)
            .apiCallAttemptTimeout(tuning.apiCallAttemptTimeout())
            .apiCallTimeout(tuning.apiCallTimeout())
            .retryStrategy(b -> b.maxAttempts(tuning.maxAttempts()));
    interceptors.forEach(override::addExecutionInterceptor);
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(override.build());
    settings.endpoint().ifPresent(builder::endpointOverride);
    return builder;
  }

  AwsCredentialsProvider credentials() {
    boolean hasId = settings.accessKeyId().filter(s -> !s.isBlank()).isPresent();
    boolean hasSecret = settings.secretAccessKey().filter(s -> !s.isEmpty()).isPresent();
    if (hasId != hasSecret) {
      throw new IllegalArgumentException(
          "storage access key id and secret access key must be given together (or neither, for"
              + " the default credentials chain)");
    }
    if (hasId) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(
              settings.accessKeyId().orElseThrow(),
              settings.secretAccessKey().orElseThrow().reveal()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
