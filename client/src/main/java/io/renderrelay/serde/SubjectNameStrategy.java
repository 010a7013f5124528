package io.renderrelay.serde;

import java.util.Locale;
import org.apache.avro.Schema;

/** How the subject a schema is registered under is derived; mirrors Confluent's strategies. */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} or {@code <topic>-value} (Confluent's default). */
  TOPIC_NAME,
  /** The record's full name. */
  RECORD_NAME,
  /** {@code <topic>-<record full name>}. */
  TOPIC_RECORD_NAME;

  /** Returns the subject for a record of {@code schema} sent to {@code topic}. */
  public String subject(String topic, boolean isKey, Schema schema) {
    return switch (this) {
      case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
      case RECORD_NAME -> recordName(schema);
      case TOPIC_RECORD_NAME -> topic + "-" + recordName(schema);
    };
  }

  private static String recordName(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(
          "Record name strategies need a record schema, got " + schema.getType());
    }
    return schema.getFullName();
  }

  /**
   * Parses {@code topic}, {@code record}, {@code topic-record}, the enum names, or Confluent's
   * strategy class names ({@code io.confluent.kafka.serializers.subject.TopicNameStrategy} etc.).
   */
  public static SubjectNameStrategy parse(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("Subject name strategy must not be blank");
    }
    String simple = s.trim().substring(s.trim().lastIndexOf('.') + 1);
    String key = simple.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    return switch (key) {
      case "topic", "topicname", "topicnamestrategy" -> TOPIC_NAME;
      case "record", "recordname", "recordnamestrategy" -> RECORD_NAME;
      case "topicrecord", "topicrecordname", "topicrecordnamestrategy" -> TOPIC_RECORD_NAME;
      default ->
          throw new IllegalArgumentException(
              "Unknown subject name strategy '" + s + "': use topic, record or topic-record");
    };
  }
}
