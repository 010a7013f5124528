package io.renderrelay.devstack.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.renderrelay.devstack.simulator.InputMedia.MoovAt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET|HEAD /inputs/{name}}: the inputs a job may point at, one per rule of the worker's
 * pre-flight check, served like an object store: Content-Type by extension, Content-Length, and a
 * single {@code Range: bytes=a-b} (or {@code a-}, {@code -n}) answered 206 with Content-Range.
 *
 * <ul>
 *   <li>{@code act-one-16x9.mp4} (1280x720, moov after a 300 KiB mdat), {@code act-one-16x9.png}
 *       (1280x720), {@code act-one-16x9.jpg} (1920x1080, frame header after 100 KiB of EXIF): pass;
 *   <li>{@code act-one-4x3.mp4} (1440x1080), {@code act-one-4x3.png} (640x480), {@code
 *       portrait.mp4} (1920x1080 turned a quarter: shown 1080x1920): fail the 16:9 rule;
 *   <li>{@code page.html}: an HTML page, fails the type rule;
 *   <li>{@code large.mp4}: 2 MiB of 16:9 video, fails a size limit below that;
 *   <li>{@code unavailable.mp4}: always 503 (transient);
 *   <li>anything else: 404.
 * </ul>
 */
final class InputHandler implements HttpHandler {
  static final String PREFIX = "/inputs/";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private record Fixture(String contentType, byte[] bytes) {}

  private static final Map<String, Fixture> FIXTURES =
      Map.of(
          "act-one-16x9.mp4",
          video(InputMedia.mp4(1280, 720, false, MoovAt.END, 300 << 10, false)),
          "act-one-16x9.png",
          new Fixture("image/png", InputMedia.png(1280, 720)),
          "act-one-16x9.jpg",
          new Fixture("image/jpeg", InputMedia.jpeg(1920, 1080, 100 << 10)),
          "act-one-4x3.mp4",
          video(InputMedia.mp4(1440, 1080, false, MoovAt.START, 4096, true)),
          "act-one-4x3.png",
          new Fixture("image/png", InputMedia.png(640, 480)),
          "portrait.mp4",
          video(InputMedia.mp4(1080, 1920, true, MoovAt.END, 4096, false)),
          "page.html",
          new Fixture(
              "text/html; charset=utf-8",
              "<!DOCTYPE html><html><body>Sign in</body></html>\n"
                  .getBytes(StandardCharsets.UTF_8)),
          "large.mp4",
          video(InputMedia.mp4(1280, 720, false, MoovAt.START, 2 << 20, false)));

  private final Counters counters;

  InputHandler(Counters counters) {
    this.counters = counters;
  }

  private static Fixture video(byte[] bytes) {
    return new Fixture("video/mp4", bytes);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      serve(exchange);
    } catch (IOException e) {
      // the reader closed early (a ranged check reads what it needs)
    }
  }

  private void serve(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    boolean head = "HEAD".equals(method);
    if (!head && !"GET".equals(method)) {
      plain(ex, 405, "method not allowed");
      return;
    }
    String name = ex.getRequestURI().getPath().substring(PREFIX.length());
    if ("unavailable.mp4".equals(name)) {
      plain(ex, 503, "try again later");
      return;
    }
    Fixture f = FIXTURES.get(name);
    if (f == null) {
      plain(ex, 404, "no such input");
      return;
    }
    long size = f.bytes().length;
    long first = 0;
    long last = size - 1;
    int status = 200;
    String range = ex.getRequestHeaders().getFirst("Range");
    Matcher m = range == null ? null : RANGE.matcher(range.strip());
    if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
      if (m.group(1).isEmpty()) {
        first = Math.max(0, size - Long.parseLong(m.group(2)));
      } else {
        first = Long.parseLong(m.group(1));
        last = m.group(2).isEmpty() ? last : Math.min(last, Long.parseLong(m.group(2)));
      }
      if (first >= size || last < first) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
        plain(ex, 416, "range not satisfiable");
        return;
      }
      status = 206;
      ex.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + size);
    }
    counters.request("inputs", status);
    ex.getResponseHeaders().set("Content-Type", f.contentType());
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    int length = (int) (last - first + 1);
    if (head) {
      ex.getResponseHeaders().set("Content-Length", Integer.toString(length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, length);
    ex.getResponseBody().write(f.bytes(), (int) first, length);
  }

  private void plain(HttpExchange ex, int status, String text) throws IOException {
    counters.request("inputs", status);
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }
}
