package io.renderrelay.worker.logging;

import ch.qos.logback.core.Context;
import com.fasterxml.jackson.core.JsonStreamContext;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import net.logstash.logback.mask.ValueMasker;

/**
 * The worker's JSON log lines: logstash-logback-encoder's {@link LogstashEncoder} (one JSON object
 * per line: timestamp in UTC, level, logger, thread, message, every MDC entry such as jobId,
 * taskId, trace_id and span_id, key-value pairs, and the exception as {@code exception}), with
 * every string value passed through {@link LogRedaction} by the encoder's masking decorator, so a
 * secret is masked wherever it appears: message, MDC, key-value pair or stack trace.
 */
public final class JsonLogEncoder extends LogstashEncoder {

  private static final String IGNORE = "[ignore]";

  /** Sets the field names and the redaction; logback.xml needs no further configuration. */
  public JsonLogEncoder() {
    LogstashFieldNames names = getFieldNames();
    names.setTimestamp("timestamp");
    names.setVersion(IGNORE);
    names.setLogger("logger");
    names.setThread("thread");
    names.setLevelValue(IGNORE);
    names.setStackTrace("exception");
    setTimeZone("UTC");
  }

  @Override
  public void start() {
    MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
    masking.addValueMasker(new Redacting(getContext()));
    masking.start();
    setJsonGeneratorDecorator(masking);
    super.start();
  }

  /**
   * Masks secrets inside every string value, with the redaction installed in the logback context at
   * the time of writing (the worker installs it after logback has configured itself).
   */
  private record Redacting(Context logback) implements ValueMasker {
    @Override
    public Object mask(JsonStreamContext context, Object value) {
      if (value instanceof CharSequence text) {
        String raw = text.toString();
        String masked = LogRedaction.of(logback).redact(raw);
        return masked.equals(raw) ? null : masked;
      }
      return null;
    }
  }
}
