package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every hop of an output download goes only to a checked address (issue 18 review of the split into
 * SafeDownloader and CheckedHttpClient), against a loopback CDN stand-in. The filter here allows
 * 127.0.0.1 and refuses 127.0.0.2, so a refusal is told apart from a connection that was tried.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SafeDownloaderHopsIT {

  private static final SafeDownloader.Limits LIMITS =
      new SafeDownloader.Limits(1L << 20, Duration.ofSeconds(2), Duration.ofSeconds(2), 3, 4);

  private final OutputServer server = newServer();
  private final List<String> resolved = new CopyOnWriteArrayList<>();

  private static OutputServer newServer() {
    try {
      return new OutputServer();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterEach
  void close() {
    server.close();
  }

  /** cdn.test resolves to 127.0.0.1 the first time and to {@code later} afterwards (rebinding). */
  private SafeDownloader downloader(String... later) {
    AtomicInteger calls = new AtomicInteger();
    HostResolver names =
        host -> {
          resolved.add(host);
          if (!host.equals("cdn.test")) {
            return InetAddress.getAllByName(host);
          }
          String[] answer =
              calls.getAndIncrement() == 0 || later.length == 0
                  ? new String[] {"127.0.0.1"}
                  : later;
          InetAddress[] out = new InetAddress[answer.length];
          for (int i = 0; i < answer.length; i++) {
            out[i] = InetAddress.getByName(answer[i]);
          }
          return out;
        };
    AddressFilter onlyOne =
        (host, a) ->
            a.getHostAddress().equals("127.0.0.1")
                ? Optional.empty()
                : Optional.of("not the test address");
    return new SafeDownloader(
        new OutputUrlPolicy(false, HostAllowList.of(List.of()), onlyOne), LIMITS, names);
  }

  private URI cdn(String path) {
    return URI.create("http://cdn.test:" + server.port() + path);
  }

  /** A redirect that closes its connection, so the next hop needs a new one. */
  private void redirectClosing(String path, String location) {
    server.on(
        path,
        ex -> {
          ex.getResponseHeaders().add("Location", location);
          ex.getResponseHeaders().add("Connection", "close");
          ex.sendResponseHeaders(302, -1);
        });
  }

  @Test
  void aRedirectToTheSameNameNowResolvingElsewhereIsRefusedNotConnected() {
    redirectClosing("/a", cdn("/b").toString());
    server.pattern("/b", 1, 10);
    try (SafeDownloader d = downloader("127.0.0.2")) {
      assertThatThrownBy(() -> d.open(cdn("/a")))
          .isInstanceOf(CopyException.Rejected.class)
          .hasMessageContaining("resolves to 127.0.0.2, not the test address");
    }
    assertThat(server.hits("/a")).isEqualTo(1);
    assertThat(server.hits("/b")).isZero();
    assertThat(resolved).containsExactly("cdn.test", "cdn.test");
  }

  @Test
  void aNameWithOneRefusedAddressAmongGoodOnesIsRefusedWhole() {
    server.pattern("/b", 1, 10);
    redirectClosing("/a", cdn("/b").toString());
    try (SafeDownloader d = downloader("127.0.0.1", "127.0.0.2")) {
      assertThatThrownBy(() -> d.open(cdn("/a"))).isInstanceOf(CopyException.Rejected.class);
    }
    assertThat(server.hits("/b")).isZero();
  }

  // a kept-alive connection is reused for the next hop of the same host: it goes to the address
  // checked when it was opened, never to what the name resolves to now
  @Test
  void aKeptAliveConnectionIsReusedOnlyToTheAddressCheckedWhenItOpened() throws Exception {
    server.redirect("/a", 302, cdn("/b").toString());
    server.pattern("/b", 1, 10);
    try (SafeDownloader d = downloader("127.0.0.2");
        Download download = d.open(cdn("/a"))) {
      assertThat(download.body().readAllBytes()).hasSize(10);
    }
    assertThat(resolved).containsExactly("cdn.test");
    assertThat(server.hits("/b")).isEqualTo(1);
  }

  @Test
  void aRedirectToAnIpv4MappedMetadataAddressIsRefusedBeforeAnyConnection() {
    server.redirect("/a", 307, "http://[::ffff:a9fe:a9fe]:" + server.port() + "/latest/meta-data/");
    try (SafeDownloader d = downloader()) {
      assertThatThrownBy(() -> d.open(cdn("/a"))).isInstanceOf(CopyException.Rejected.class);
    }
    assertThat(server.hits("/a")).isEqualTo(1);
  }

  @Test
  void redirectsPastTheLimitAreRefusedAndEachHopIsAskedOnce() {
    for (int i = 0; i < 4; i++) {
      server.redirect("/r" + i, 301, "/r" + (i + 1));
    }
    server.pattern("/r4", 1, 10);
    try (SafeDownloader d = downloader()) {
      assertThatThrownBy(() -> d.open(cdn("/r0")))
          .isInstanceOf(CopyException.Rejected.class)
          .hasMessageContaining("redirected more than 3 times");
    }
    for (int i = 0; i < 4; i++) {
      assertThat(server.hits("/r" + i)).as("/r%d", i).isEqualTo(1);
    }
    assertThat(server.hits("/r4")).isZero();
  }

  @Test
  void aDroppedConnectionIsRetryableAndNotRetriedByTheClient() {
    server.on(
        "/drop",
        ex -> {
          throw new IllegalStateException("connection dropped before any answer");
        });
    try (SafeDownloader d = downloader()) {
      assertThatThrownBy(() -> d.open(cdn("/drop"))).isInstanceOf(CopyException.Retryable.class);
    }
    assertThat(server.hits("/drop")).isEqualTo(1);
  }

  @Test
  void aCookieSetOnARedirectIsNotSentToTheNextHopButTheRangeIs() throws Exception {
    List<String> cookies = new CopyOnWriteArrayList<>();
    List<String> ranges = new CopyOnWriteArrayList<>();
    server.on(
        "/a",
        ex -> {
          ex.getResponseHeaders().add("Set-Cookie", "session=secret; Path=/");
          ex.getResponseHeaders().add("Location", "/b");
          ex.sendResponseHeaders(302, -1);
        });
    server.on(
        "/b",
        ex -> {
          cookies.add(String.valueOf(ex.getRequestHeaders().getFirst("Cookie")));
          ranges.add(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
          ex.getResponseHeaders().add("Content-Range", "bytes 5-9/10");
          ex.sendResponseHeaders(206, 5);
          ex.getResponseBody().write(new byte[] {5, 6, 7, 8, 9});
        });
    try (SafeDownloader d = downloader();
        Download download = d.openRange(cdn("/a"), 5, 9)) {
      assertThat(download.partial()).isTrue();
      assertThat(download.totalLength()).hasValue(10);
      assertThat(download.body().readAllBytes()).containsExactly(5, 6, 7, 8, 9);
    }
    assertThat(cookies).containsExactly("null");
    assertThat(ranges).containsExactly("bytes=5-9");
  }
}
