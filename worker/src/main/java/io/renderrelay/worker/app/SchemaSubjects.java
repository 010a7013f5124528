package io.renderrelay.worker.app;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.serde.SchemaRegistryClient;
import io.renderrelay.serde.SerdeException;
import io.renderrelay.serde.SubjectNameStrategy;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command and event subjects, put in the registry at start (instance.auto-register-schemas) or
 * checked there: a producer without the JVM client (kafkajs, Python) then finds them on a fresh
 * stack instead of waiting until some JVM client has published. Commands use the topic name
 * strategy, events the topic-record name strategy, as the worker's serdes do. A registry that does
 * not answer at start is a warning, never a failed start: the serdes register on first use.
 */
final class SchemaSubjects {
  private static final Logger log = LoggerFactory.getLogger(SchemaSubjects.class);

  /** One subject and the schema the worker writes or reads under it. */
  record Subject(String name, Schema schema) {}

  private SchemaSubjects() {}

  /** The subjects of these topics. */
  static List<Subject> of(Topics topics) {
    return List.of(
        subject(SubjectNameStrategy.TOPIC_NAME, topics.restyleCommands(), RestyleCommand.SCHEMA$),
        subject(SubjectNameStrategy.TOPIC_NAME, topics.actOneCommands(), ActOneCommand.SCHEMA$),
        subject(SubjectNameStrategy.TOPIC_RECORD_NAME, topics.events(), RenderCompleted.SCHEMA$),
        subject(SubjectNameStrategy.TOPIC_RECORD_NAME, topics.events(), RenderFailed.SCHEMA$));
  }

  private static Subject subject(SubjectNameStrategy strategy, String topic, Schema schema) {
    return new Subject(strategy.subject(topic, false, schema), schema);
  }

  /**
   * Registers every subject ({@code register}) or checks that each holds the worker's schema;
   * returns the subjects that could not be registered or are missing, each logged.
   */
  static List<String> ensure(SchemaRegistryClient registry, Topics topics, boolean register) {
    List<String> missing = new ArrayList<>();
    for (Subject s : of(topics)) {
      try {
        int id =
            register
                ? registry.register(s.name(), s.schema())
                : registry.getId(s.name(), s.schema());
        log.debug("schema subject {} id={}", s.name(), id);
      } catch (SerdeException e) {
        missing.add(s.name());
        log.warn(
            "schema subject {} {}: {}",
            s.name(),
            register ? "could not be registered (the serdes retry on first use)" : "is missing",
            e.getMessage());
      }
    }
    if (!register && !missing.isEmpty()) {
      log.error(
          "schema subjects missing with instance.auto-register-schemas=false: {}; register them"
              + " from schemas/target/schemas/*.avsc (docs/client.md) or producers without the"
              + " JVM client cannot publish and events cannot be written",
          missing);
    } else if (missing.isEmpty()) {
      log.info(
          "schema subjects {}: {}",
          register ? "registered" : "present",
          of(topics).stream().map(Subject::name).toList());
    }
    return missing;
  }
}
