package io.renderrelay.serde;

/**
 * Configuration keys of the serde, spelled as Confluent's serializer spells them so that existing
 * Kafka client configurations work unchanged.
 */
public final class SerdeConfig {

  /** Comma-separated registry base URLs. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Register the record's schema on first use (default true); else look up its id. */
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  /** Subject name strategy for values: topic, record, topic-record or a Confluent class name. */
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /** Subject name strategy for keys. */
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  /** {@code USER_INFO} (default when user info is set) or {@code URL}. */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

  /** {@code user:password} for HTTP basic auth. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Static bearer token. */
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

  /** Deserialize into generated SpecificRecord classes (default false: GenericRecord). */
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  /** Registry request timeout in milliseconds (render-relay extension). */
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

  /** Number of retries after a failed registry request (render-relay extension). */
  public static final String MAX_RETRIES = "schema.registry.max.retries";

  /** Initial backoff between retries in milliseconds, doubled per retry (extension). */
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";

  /** Capacity of each client cache; Confluent's name for it. */
  public static final String MAX_SCHEMAS_PER_SUBJECT = "max.schemas.per.subject";

  private SerdeConfig() {}
}
