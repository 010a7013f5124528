package io.renderrelay.worker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The shared body of the submit commands: flags and file to a command, then publish it. */
final class Submission {

  private Submission() {}

  /** Builds the command from the file and flags; errors name the field and its flag. */
  static <T extends SpecificRecord> T build(
      CliContext ctx,
      SubmitOptions submit,
      Map<String, Object> flags,
      Class<T> type,
      Schema schema,
      Map<String, String> flagOfField) {
    ObjectNode json = submit.json(ctx.clock(), flags);
    try {
      T command = new CommandJson(ctx.clock()).read(json, type, schema);
      if (json.get("jobId").asText().isBlank()) {
        throw new CliUsageException("the jobId may not be blank");
      }
      return command;
    } catch (CommandJson.InvalidJson e) {
      String msg = e.getMessage();
      for (var hint : flagOfField.entrySet()) {
        msg =
            msg.replace(
                "'" + hint.getKey() + "'", "'" + hint.getKey() + "' (" + hint.getValue() + ")");
      }
      String from = submit.file == null ? "the flags" : submit.file.toString();
      throw new CliUsageException("invalid " + schema.getName() + " from " + from + ": " + msg);
    }
  }

  static <T extends SpecificRecord> int run(
      CliContext ctx,
      GlobalOptions global,
      SubmitOptions submit,
      Map<String, Object> flags,
      Class<T> type,
      Schema schema,
      String topic,
      Map<String, String> flagOfField)
      throws InterruptedException {
    T command = build(ctx, submit, flags, type, schema, flagOfField);
    String jobId = String.valueOf(command.get(schema.getField("jobId").pos()));
    try (ClientFactory clients = ctx.clients().apply(global);
        Producer<byte[], byte[]> producer = clients.producer("submit")) {
      RecordMetadata meta =
          new CommandSubmitter(producer, clients.avroSerializer(), submit.timeout)
              .submit(topic, jobId, command);
      ctx.out()
          .println(
              "jobId="
                  + jobId
                  + " topic="
                  + meta.topic()
                  + " partition="
                  + meta.partition()
                  + " offset="
                  + meta.offset());
      ctx.out().flush();
    }
    return 0;
  }
}
