package io.renderrelay.worker.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server that plays the provider from a script: per path, a queue of answers. Records
 * every request with the (fake) clock's time of arrival. "{auth}" in an answer body is replaced by
 * the Authorization header received, to prove that echoed secrets are redacted.
 */
final class ScriptedProviderServer implements AutoCloseable {

  record Received(
      String method, String path, Map<String, List<String>> headers, String body, Instant at) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /** One scripted answer; {@code drop} closes the connection without answering. */
  record Answer(
      int status, Map<String, String> headers, String body, Duration delay, boolean drop) {
    static Answer of(int status, String body) {
      return new Answer(status, Map.of(), body, Duration.ZERO, false);
    }

    Answer withHeader(String name, String value) {
      var all = new java.util.HashMap<>(headers);
      all.put(name, value);
      return new Answer(status, Map.copyOf(all), body, delay, drop);
    }

    Answer delayed(Duration by) {
      return new Answer(status, headers, body, by, drop);
    }

    static Answer dropConnection() {
      return new Answer(0, Map.of(), "", Duration.ZERO, true);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Deque<Answer>> script = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Clock clock;

  ScriptedProviderServer(Clock clock) throws IOException {
    this.clock = clock;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void enqueue(String path, Answer... answers) {
    Deque<Answer> queue = script.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>());
    queue.addAll(List.of(answers));
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      received.add(
          new Received(
              exchange.getRequestMethod(),
              path,
              Map.copyOf(exchange.getRequestHeaders()),
              body,
              clock.instant()));
      Deque<Answer> queue = script.get(path);
      Answer answer = queue == null ? null : queue.poll();
      if (answer == null) {
        answer = Answer.of(599, "{\"unscripted\": \"" + path + "\"}");
      }
      if (answer.delay().isPositive()) {
        release.await(answer.delay().toMillis(), TimeUnit.MILLISECONDS);
      }
      if (answer.drop()) {
        return; // closing the exchange without a response drops the connection
      }
      String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] bytes = answer.body().replace("{auth}", auth).getBytes(StandardCharsets.UTF_8);
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
