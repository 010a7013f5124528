package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostAllowListTest {
  private final HostAllowList list = HostAllowList.of(List.of("cdn.example.com", "*.cometapi.com"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "cdn.example.com,true",
    "CDN.Example.COM,true",
    "cdn.example.com.,true",
    "a.cdn.example.com,false",
    "example.com,false",
    "evilcdn.example.com,false",
    "files.cometapi.com,true",
    "a.b.cometapi.com,true",
    "cometapi.com,false",
    "evilcometapi.com,false",
    "cometapi.com.evil.net,false",
    "10.0.0.1,false"
  })
  void matchesExactNamesAndSuffixPatterns(String host, boolean allowed) {
    assertThat(list.permits(host)).isEqualTo(allowed);
  }

  @Test
  void emptyListAllowsAnyHost() {
    HostAllowList any = HostAllowList.of(List.of());
    assertThat(any.allowsAnyHost()).isTrue();
    assertThat(any.permits("anything.example")).isTrue();
  }

  @Test
  void ipLiteralsMatchOnlyExactEntries() {
    HostAllowList ips = HostAllowList.of(List.of("203.0.113.7", "2001:db8::1"));
    assertThat(ips.permits("203.0.113.7")).isTrue();
    assertThat(ips.permits("[2001:db8::1]")).isTrue();
    assertThat(ips.permits("203.0.113.8")).isFalse();
  }

  @Test
  void refusesMalformedPatterns() {
    for (String bad : List.of("*", "*.", "a.*.com", "", "bad host", "x..com", "*.*.com")) {
      assertThatThrownBy(() -> HostAllowList.of(List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bad allowed output host");
    }
  }
}
