package io.renderrelay.worker.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A local provider CDN stand-in on 127.0.0.1:0 serving generated outputs; counts requests. */
final class OutputServer implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);

  OutputServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  int port() {
    return server.getAddress().getPort();
  }

  int hits(String path) {
    return hits.getOrDefault(path, new AtomicInteger()).get();
  }

  void on(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          try (exchange) {
            handler.handle(exchange);
          }
        });
  }

  /** Serves the seeded pattern with a Content-Length. */
  void pattern(String path, long seed, long size) {
    on(
        path,
        ex -> {
          ex.getResponseHeaders().add("Content-Type", "video/mp4");
          ex.sendResponseHeaders(200, size == 0 ? -1 : size);
          try (OutputStream out = ex.getResponseBody()) {
            PatternBytes.write(seed, size, out);
          }
        });
  }

  /** Serves the seeded pattern chunked (no Content-Length). */
  void chunked(String path, long seed, long size) {
    on(
        path,
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            PatternBytes.write(seed, size, out);
          }
        });
  }

  /** Announces {@code announced} bytes, sends {@code sent} of them, then drops the connection. */
  void truncated(String path, long seed, long announced, long sent) {
    on(
        path,
        ex -> {
          ex.sendResponseHeaders(200, announced);
          OutputStream out = ex.getResponseBody();
          PatternBytes.write(seed, sent, out);
          out.flush();
          // closing the exchange short of the announced length makes the server drop the socket
        });
  }

  /** Announces a length, then sends nothing until the server is closed. */
  void headersThenHang(String path, long announced) {
    on(
        path,
        ex -> {
          ex.sendResponseHeaders(200, announced);
          ex.getResponseBody().flush();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  void status(String path, int status) {
    on(
        path,
        ex -> {
          ex.sendResponseHeaders(status, -1);
        });
  }

  void redirect(String path, int status, String location) {
    on(
        path,
        ex -> {
          ex.getResponseHeaders().add("Location", location);
          ex.sendResponseHeaders(status, -1);
        });
  }

  static void drain(HttpExchange ex) throws IOException {
    ex.getRequestBody().readAllBytes();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
