package io.renderrelay.worker.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Pattern-layout converter for the message with secrets masked (conversion word e.g. rmsg). */
public final class RedactingMessageConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogRedaction.of(getContext()).redact(event.getFormattedMessage());
  }
}
