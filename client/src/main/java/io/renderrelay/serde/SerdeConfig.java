package io.renderrelay.serde;

/** TEMP stand-in: the real serde configuration keys land from the serde branch. */
public final class SerdeConfig {
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url",
      AUTO_REGISTER_SCHEMAS = "auto.register.schemas",
      VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy",
      SPECIFIC_AVRO_READER = "specific.avro.reader",
      BASIC_AUTH_USER_INFO = "basic.auth.user.info",
      BEARER_AUTH_TOKEN = "bearer.auth.token";

  private SerdeConfig() {}
}
