package io.renderrelay.worker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each event as one JSON line: timestamp, level, logger, thread, message, the MDC entries
 * (jobId, taskId, ...) and key-value pairs as top-level fields, and the exception text. Message,
 * MDC values and exception text pass through {@link LogRedaction}.
 */
public final class RedactingJsonEncoder extends EncoderBase<ILoggingEvent> {
  private static final Set<String> RESERVED =
      Set.of("timestamp", "level", "logger", "thread", "message", "exception");
  private static final byte[] EMPTY = new byte[0];

  private final JsonFactory json = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] footerBytes() {
    return EMPTY;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    LogRedaction redaction = LogRedaction.of(getContext());
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("timestamp", event.getInstant().toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", redaction.redact(event.getFormattedMessage()));
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        for (Map.Entry<String, String> e : mdc.entrySet()) {
          g.writeStringField(fieldName(e.getKey()), redaction.redact(e.getValue()));
        }
      }
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair kv : event.getKeyValuePairs()) {
          g.writeStringField(fieldName(kv.key), redaction.redact(String.valueOf(kv.value)));
        }
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        g.writeStringField("exception", redaction.redact(ThrowableProxyUtil.asString(thrown)));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static String fieldName(String key) {
    return RESERVED.contains(key) ? "mdc." + key : key;
  }
}
