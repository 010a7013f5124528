package io.renderrelay.devstack.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|HEAD /files/{taskId}/{video.mp4|poster.png|last_frame.png}}: the CDN. Streams the
 * deterministic content with a Content-Length (chunked only under the oversize fault without a
 * declared length). No authentication, like a CDN URL. Output faults apply here.
 */
final class FileHandler implements HttpHandler {
  static final String PREFIX = "/files/";
  private static final Logger log = LoggerFactory.getLogger(FileHandler.class);

  private final SimulatorControl control;
  private final Clock clock;

  FileHandler(SimulatorControl control, Clock clock) {
    this.control = control;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      serve(exchange);
    } catch (IOException e) {
      log.debug("file download aborted: {}", e.toString());
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    boolean head = "HEAD".equals(method);
    if (!head && !"GET".equals(method)) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      plain(ex, 405, "method not allowed");
      return;
    }
    String[] parts = ex.getRequestURI().getPath().substring(PREFIX.length()).split("/", -1);
    Optional<SimTask> task = parts.length == 2 ? control.store().get(parts[0]) : Optional.empty();
    Optional<OutputKind> kind =
        parts.length == 2 ? OutputKind.ofFileName(parts[1]) : Optional.empty();
    Instant now = clock.instant();
    if (task.isEmpty()
        || kind.isEmpty()
        || !(task.get().phaseAt(now) instanceof TaskPhase.Succeeded done)) {
      plain(ex, 404, "no such file");
      return;
    }
    Faults faults = control.faults();
    if (faults.fileRedirect() != null) {
      ex.getResponseHeaders().set("Location", faults.fileRedirect());
      plain(ex, 302, "moved");
      return;
    }
    Faults.ExpireOutputs expire = faults.expireOutputs();
    if (expire != null
        && !now.isBefore(done.finishedAt().plusMillis(expire.deliveryWindowMillis()))) {
      plain(ex, expire.status(), "expired");
      return;
    }
    stream(ex, task.get().taskId(), kind.get(), head, faults.oversize());
  }

  private void stream(
      HttpExchange ex, String taskId, OutputKind kind, boolean head, Faults.Oversize oversize)
      throws IOException {
    long size = oversize != null ? oversize.bytes() : control.configuredSize(kind);
    long length = OutputContent.length(kind, size);
    boolean declare = oversize == null || oversize.declareLength();
    ex.getResponseHeaders().set("Content-Type", kind.contentType());
    control.counters().request("files", 200);
    if (head) {
      if (declare) {
        ex.getResponseHeaders().set("Content-Length", Long.toString(length));
      }
      ex.sendResponseHeaders(200, -1);
      return;
    }
    control.counters().download();
    ex.sendResponseHeaders(200, declare ? length : 0);
    try (OutputStream out = ex.getResponseBody()) {
      OutputContent.write(taskId, kind, size, out);
    }
  }

  private void plain(HttpExchange ex, int status, String text) throws IOException {
    control.counters().request("files", status);
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }
}
