package io.renderrelay.worker.logging;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging into SLF4J, so what libraries log there (the OpenTelemetry exporter's
 * "Failed to export spans" with its stack trace, the JDK HttpClient) becomes JSON log lines with
 * the redaction, instead of plain multi-line text on stderr from JUL's console handler.
 */
public final class JulBridge {

  private JulBridge() {}

  /** Replaces JUL's root handlers with the SLF4J bridge; call once at startup. */
  public static void install() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
