package io.renderrelay.client.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPolicyTest {

  @ParameterizedTest
  @CsvSource({
    "::1, 0:0:0:0:0:0:0:1",
    "::, 0:0:0:0:0:0:0:0",
    "2001:db8::8:800:200c:417a, 2001:db8:0:0:8:800:200c:417a",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "::ffff:1.2.3.4, 0:0:0:0:0:ffff:102:304",
    "fe80::, fe80:0:0:0:0:0:0:0"
  })
  void parsesIpv6(String text, String expected) {
    int[] w = HostPolicy.parseIpv6(text);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      sb.append(i == 0 ? "" : ":").append(Integer.toHexString(w[i]));
    }
    assertThat(sb.toString()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "12345::",
        ":1:2:3:4:5:6:7",
        "g::1",
        "1:2:3:4:5:6:7",
        "::1.2.3",
        "::256.0.0.1",
        "1.2.3.4::"
      })
  void rejectsBadIpv6(String text) {
    assertThat(HostPolicy.parseIpv6(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"01.2.3.4", "1.2.3", "256.1.1.1", "1.2.3.4.5", "1..2.3", "a.b.c.d"})
  void rejectsNonCanonicalIpv4(String text) {
    assertThat(HostPolicy.parseIpv4(text)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
    "example.com, PUBLIC",
    "93.184.216.34, PUBLIC",
    "172.32.0.1, PUBLIC",
    "172.31.255.255, INTERNAL",
    "100.63.255.255, PUBLIC",
    "100.64.0.1, INTERNAL",
    "198.18.0.1, INTERNAL",
    "255.255.255.255, INTERNAL",
    "[2001::1], INTERNAL",
    "[2001:db8::1], INTERNAL",
    "[ff02::1], INTERNAL",
    "[::ffff:8.8.8.8], PUBLIC",
    "foo.internal, INTERNAL",
    "host.home.arpa, INTERNAL",
    "example.123, MALFORMED",
    "1.2.3.04, MALFORMED"
  })
  void classifies(String host, HostPolicy.Kind kind) {
    assertThat(HostPolicy.classify(host).kind()).isEqualTo(kind);
  }
}
