package io.renderrelay.worker.http;

import io.renderrelay.worker.config.WorkerConfig.HttpLimits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies {@link HttpLimits} to the JDK HTTP server, which reads them from system properties once,
 * when its first server is created in the process: so the worker's {@code Main} applies them before
 * anything else starts a server. {@code sun.net.httpserver.maxReqTime} closes a connection whose
 * request (headers and body) is not read within the request timeout: a slowloris client holds a
 * connection that long at most; {@code jdk.httpserver.maxConnections} closes connections above the
 * cap at once; {@code idleInterval} closes idle keep-alive connections; headers are capped in count
 * and size.
 */
public final class HttpServerLimits {
  /** Header bytes one request may send (the JDK default is 384 KiB). */
  static final int MAX_HEADER_BYTES = 16 * 1024;

  /** Headers one request may send (the JDK default is 200). */
  static final int MAX_HEADERS = 50;

  private HttpServerLimits() {}

  /** The system properties that express {@code limits}. */
  public static Map<String, String> properties(HttpLimits limits) {
    Map<String, String> p = new LinkedHashMap<>();
    String request = Long.toString(Math.max(1, limits.requestTimeout().toSeconds()));
    p.put("sun.net.httpserver.maxReqTime", request);
    p.put("sun.net.httpserver.maxRspTime", request);
    p.put("sun.net.httpserver.idleInterval", Long.toString(limits.idleTimeout().toSeconds()));
    p.put("jdk.httpserver.maxConnections", Integer.toString(limits.maxConnections()));
    p.put("sun.net.httpserver.maxReqHeaders", Integer.toString(MAX_HEADERS));
    p.put("sun.net.httpserver.maxReqHeaderSize", Integer.toString(MAX_HEADER_BYTES));
    return p;
  }

  /**
   * Sets the properties in this process; they take effect only if no JDK HTTP server was created in
   * it before (call first thing in a main method).
   */
  public static void apply(HttpLimits limits) {
    properties(limits).forEach(System::setProperty);
  }
}
