package io.renderrelay.worker.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Pattern-layout converter for the stack trace with secrets masked (e.g. rex). */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return LogRedaction.of(getContext()).redact(super.convert(event));
  }
}
