package io.renderrelay.worker.engine;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Due time and attempt of a delay-topic record, in headers (decimal text, readable in kcat). */
public final class DelayHeaders {

  /** Epoch milliseconds at which the record is due. */
  public static final String DUE = "rr.due";

  /** How many polls came before this one. */
  public static final String ATTEMPT = "rr.attempt";

  private DelayHeaders() {}

  public static OptionalLong due(Headers headers) {
    return longHeader(headers, DUE);
  }

  public static OptionalLong longHeader(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    if (h == null || h.value() == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  public static byte[] encode(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }
}
