package io.renderrelay.worker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * What a library logs to java.util.logging (the OTLP exporter's "Failed to export spans" with its
 * stack trace) reaches logback, so the JSON encoder and its redaction, never JUL's plain console
 * handler on stderr (found in review of issue 17: a collector that is down printed multi-line
 * SEVERE text to stderr).
 */
class JulBridgeTest {

  @Test
  void julRecordsBecomeLogbackEventsNotPlainStderrText() {
    Logger logger = (Logger) LoggerFactory.getLogger("io.opentelemetry.exporter.test");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.setContext(logger.getLoggerContext());
    seen.start();
    logger.addAppender(seen);
    PrintStream err = System.err;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      JulBridge.install();
      java.util.logging.Logger.getLogger("io.opentelemetry.exporter.test")
          .log(
              java.util.logging.Level.SEVERE,
              "Failed to export spans.",
              new java.net.ConnectException("refused"));
    } finally {
      System.setErr(err);
      SLF4JBridgeHandler.uninstall();
      logger.detachAppender(seen);
    }
    assertThat(seen.list).hasSize(1);
    assertThat(seen.list.get(0).getLevel()).isEqualTo(Level.ERROR);
    assertThat(seen.list.get(0).getFormattedMessage()).isEqualTo("Failed to export spans.");
    assertThat(seen.list.get(0).getThrowableProxy()).isNotNull();
    assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("Failed to export");
  }
}
