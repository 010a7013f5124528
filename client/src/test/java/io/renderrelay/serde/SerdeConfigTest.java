package io.renderrelay.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SerdeConfigTest {

  private final Schema record =
      SchemaBuilder.record("Cmd").namespace("io.x").fields().requiredString("a").endRecord();

  @Test
  void subjectStrategies() {
    assertThat(SubjectNameStrategy.TOPIC_NAME.subject("t", false, record)).isEqualTo("t-value");
    assertThat(SubjectNameStrategy.TOPIC_NAME.subject("t", true, record)).isEqualTo("t-key");
    assertThat(SubjectNameStrategy.RECORD_NAME.subject("t", false, record)).isEqualTo("io.x.Cmd");
    assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subject("t", true, record))
        .isEqualTo("t-io.x.Cmd");
    assertThatThrownBy(
            () ->
                SubjectNameStrategy.RECORD_NAME.subject(
                    "t", false, Schema.create(Schema.Type.STRING)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void strategyNamesParse() {
    assertThat(SubjectNameStrategy.parse("topic")).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
    assertThat(SubjectNameStrategy.parse("record")).isEqualTo(SubjectNameStrategy.RECORD_NAME);
    assertThat(SubjectNameStrategy.parse("topic-record"))
        .isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
    assertThat(SubjectNameStrategy.parse("TOPIC_RECORD_NAME"))
        .isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
    assertThat(
            SubjectNameStrategy.parse("io.confluent.kafka.serializers.subject.TopicNameStrategy"))
        .isEqualTo(SubjectNameStrategy.TOPIC_NAME);
    assertThat(
            SubjectNameStrategy.parse("io.confluent.kafka.serializers.subject.RecordNameStrategy"))
        .isEqualTo(SubjectNameStrategy.RECORD_NAME);
    assertThat(
            SubjectNameStrategy.parse(
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"))
        .isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
    assertThatThrownBy(() -> SubjectNameStrategy.parse("bogus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bogus");
  }

  @Test
  void fromMapReadsConfluentKeys() {
    RegistryClientConfig c =
        RegistryClientConfig.fromMap(
            Map.of(
                SerdeConfig.SCHEMA_REGISTRY_URL, "http://a:8081/, http://b:8081",
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                SerdeConfig.BASIC_AUTH_USER_INFO, "alice:s3cret-pw",
                SerdeConfig.REQUEST_TIMEOUT_MS, "1500",
                SerdeConfig.MAX_RETRIES, 7,
                SerdeConfig.MAX_SCHEMAS_PER_SUBJECT, "10"));
    assertThat(c.baseUrls())
        .containsExactly(URI.create("http://a:8081"), URI.create("http://b:8081"));
    assertThat(c.basicAuthUserInfo()).contains("alice:s3cret-pw");
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.maxRetries()).isEqualTo(7);
    assertThat(c.cacheCapacity()).isEqualTo(10);
    assertThat(c.toString()).doesNotContain("s3cret").doesNotContain("alice");
    assertThat(new HttpSchemaRegistryClient(c).toString()).doesNotContain("s3cret");
  }

  @Test
  void urlCredentialSourceMovesUserInfoOutOfTheUrl() {
    RegistryClientConfig c =
        RegistryClientConfig.fromMap(
            Map.of(
                SerdeConfig.SCHEMA_REGISTRY_URL,
                    List.of("https://bob:pw%40x@reg.example:443/ccompat"),
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL",
                SerdeConfig.BEARER_AUTH_TOKEN, "tok-123"));
    assertThat(c.baseUrls()).containsExactly(URI.create("https://reg.example:443/ccompat"));
    assertThat(c.basicAuthUserInfo()).contains("bob:pw@x");
    assertThat(c.bearerToken()).contains("tok-123");
    assertThat(c.toString()).doesNotContain("pw").doesNotContain("tok-123");
  }

  @Test
  void invalidConfigIsRejectedWithoutLeakingSecrets() {
    assertThatThrownBy(() -> RegistryClientConfig.fromMap(Map.of()))
        .hasMessageContaining(SerdeConfig.SCHEMA_REGISTRY_URL);
    assertThatThrownBy(() -> RegistryClientConfig.of("ftp://u:topsecret@h/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> RegistryClientConfig.of("http://h").withBasicAuth("nocolon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("nocolon");
  }

  @Test
  void wireFormatIdIsBigEndian() {
    byte[] header = new byte[5];
    ConfluentWireFormat.writeHeader(header, 0x01020304);
    assertThat(header).containsExactly(0, 1, 2, 3, 4);
    assertThat(ConfluentWireFormat.schemaId("t", header)).isEqualTo(0x01020304);
  }

  @Test
  void boundedCacheNeverExceedsCapacity() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(8);
    for (int i = 0; i < 100; i++) {
      cache.put(i, "v" + i);
      assertThat(cache.size()).isLessThanOrEqualTo(8);
    }
    assertThat(cache.get(99)).isEqualTo("v99");
  }
}
