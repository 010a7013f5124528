package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeDownloaderTest {

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "403,Expired",
    "404,Expired",
    "410,Expired",
    "400,Rejected",
    "401,Rejected",
    "416,Rejected",
    "204,Rejected",
    "304,Rejected",
    "408,Retryable",
    "429,Retryable",
    "500,Retryable",
    "503,Retryable"
  })
  void sortsStatuses(int status, String kind) {
    CopyException e = SafeDownloader.statusError(status, "cdn.test");
    assertThat(e.getClass().getSimpleName()).isEqualTo(kind);
    assertThat(e).hasMessageContaining("cdn.test answered HTTP " + status);
  }

  @Test
  void knowsRedirectStatuses() {
    for (int s : new int[] {301, 302, 303, 307, 308}) {
      assertThat(SafeDownloader.isRedirect(s)).as("%d", s).isTrue();
    }
    for (int s : new int[] {200, 300, 304, 305, 404}) {
      assertThat(SafeDownloader.isRedirect(s)).as("%d", s).isFalse();
    }
  }

  @Test
  void limitsFromSettings() {
    var limits = SafeDownloader.Limits.from(StorageSettingsFixture.settings(false, Set.of()));
    assertThat(limits.maxBytes()).isEqualTo(1024L * 1024 * 1024);
    assertThat(limits.readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(limits.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.maxRedirects()).isEqualTo(3);
  }

  @Test
  void refusesBadUrlsBeforeAnyNetworkUse() {
    // Production settings: these fail in the URL check, before DNS or a socket.
    try (var d = SafeDownloader.fromSettings(StorageSettingsFixture.settings(false, Set.of()))) {
      assertThatThrownBy(() -> d.open(URI.create("http://cdn.test/v.mp4?sig=secret")))
          .isInstanceOf(CopyException.Rejected.class)
          .hasMessageContaining("not https")
          .hasMessageNotContaining("secret");
      assertThatThrownBy(() -> d.open(URI.create("https:///nohost")))
          .isInstanceOf(CopyException.Rejected.class);
    }
  }
}
