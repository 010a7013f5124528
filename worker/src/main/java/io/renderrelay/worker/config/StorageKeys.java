package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Keys of the S3 target and of downloading provider outputs. {@link ConfigKeys#ALL} lists them with
 * the others, in docs order.
 */
public final class StorageKeys {
  private StorageKeys() {}

  // ---- storage
  public static final ConfigKey<URI> STORAGE_ENDPOINT =
      key("storage.endpoint", ValueType.URL)
          .group("storage")
          .validator(Validator.httpUrl())
          .doc("S3 endpoint override (local S3, MinIO); empty for AWS.")
          .build();
  public static final ConfigKey<String> STORAGE_REGION =
      key("storage.region", ValueType.STRING)
          .group("storage")
          .defaultValue("us-east-1")
          .validator(Validator.matches("[a-z0-9-]{1,64}", "a region name like eu-west-1"))
          .doc("S3 region.")
          .build();
  public static final ConfigKey<String> STORAGE_BUCKET =
      key("storage.bucket", ValueType.STRING)
          .group("storage")
          .required()
          .validator(
              Validator.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "a valid S3 bucket name"))
          .doc("Bucket the renders are copied into.")
          .build();
  public static final ConfigKey<String> STORAGE_ROOT_PREFIX =
      key("storage.root-prefix", ValueType.STRING)
          .group("storage")
          .defaultValue("renders")
          .validator(
              Validator.matches(
                  "([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?",
                  "a relative key prefix without leading or trailing '/'"))
          .doc("Key prefix: <prefix>/<jobType>/<jobId>/video.mp4.")
          .build();
  public static final ConfigKey<Boolean> STORAGE_PATH_STYLE =
      key("storage.path-style", ValueType.BOOLEAN)
          .group("storage")
          .defaultValue("false")
          .doc("Use path-style S3 addressing (needed by most local S3 servers).")
          .build();
  public static final ConfigKey<String> STORAGE_ACCESS_KEY_ID =
      key("storage.access-key-id", ValueType.STRING)
          .group("storage")
          .doc("Static S3 access key id; empty to use the default AWS credential chain.")
          .build();
  public static final ConfigKey<Secret> STORAGE_SECRET_ACCESS_KEY =
      key("storage.secret-access-key", ValueType.SECRET)
          .group("storage")
          .secret()
          .doc("Static S3 secret key, together with storage.access-key-id.")
          .build();
  public static final ConfigKey<Long> STORAGE_PART_SIZE =
      key("storage.part-size", ValueType.SIZE)
          .group("storage")
          .defaultValue("8MiB")
          .validator(Validator.sizeRange(5L << 20, 5L << 30))
          .doc("Multipart upload part size (S3 minimum 5MiB).")
          .build();
  public static final ConfigKey<Long> STORAGE_MAX_OUTPUT_BYTES =
      key("storage.max-output-bytes", ValueType.SIZE)
          .group("storage")
          .defaultValue("2GiB")
          .validator(Validator.sizeRange(1, 5L << 40))
          .doc("Largest provider output the worker copies; larger ones fail the job.")
          .build();
  public static final ConfigKey<Set<String>> STORAGE_ALLOWED_OUTPUT_HOSTS =
      key("storage.allowed-output-hosts", ValueType.SET)
          .group("storage")
          .defaultValue("")
          .validator(Validator.eachMatches("(\\*\\.)?[A-Za-z0-9.-]+", "a host or *.suffix", true))
          .doc(
              "Hosts outputs may be downloaded from (exact or *.suffix); empty allows any public"
                  + " https host.")
          .build();
  public static final ConfigKey<Boolean> STORAGE_ALLOW_INSECURE_OUTPUTS =
      key("storage.allow-insecure-outputs", ValueType.BOOLEAN)
          .group("storage")
          .defaultValue("false")
          .doc("Allow http and private-address output URLs; only with jobs.dev-mode.")
          .build();
  public static final ConfigKey<Duration> STORAGE_DOWNLOAD_TIMEOUT =
      key("storage.download-timeout", ValueType.DURATION)
          .group("storage")
          .defaultValue("5m")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofHours(1)))
          .doc("Timeout of one output download and upload.")
          .build();
  public static final ConfigKey<Integer> STORAGE_MAX_COPY_ATTEMPTS =
      key("storage.max-copy-attempts", ValueType.INT)
          .group("storage")
          .defaultValue("5")
          .validator(Validator.intRange(1, 100))
          .doc("Copy attempts of one output before the job fails with COPY_FAILED.")
          .build();

  /** This class's keys, in docs order. */
  static final List<ConfigKey<?>> KEYS =
      List.of(
          STORAGE_ENDPOINT,
          STORAGE_REGION,
          STORAGE_BUCKET,
          STORAGE_ROOT_PREFIX,
          STORAGE_PATH_STYLE,
          STORAGE_ACCESS_KEY_ID,
          STORAGE_SECRET_ACCESS_KEY,
          STORAGE_PART_SIZE,
          STORAGE_MAX_OUTPUT_BYTES,
          STORAGE_ALLOWED_OUTPUT_HOSTS,
          STORAGE_ALLOW_INSECURE_OUTPUTS,
          STORAGE_DOWNLOAD_TIMEOUT,
          STORAGE_MAX_COPY_ATTEMPTS);
}
