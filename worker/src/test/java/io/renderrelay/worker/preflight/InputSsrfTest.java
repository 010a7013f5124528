package io.renderrelay.worker.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.storage.AddressFilter;
import io.renderrelay.worker.storage.HostAllowList;
import io.renderrelay.worker.storage.HostResolver;
import io.renderrelay.worker.storage.OutputUrlPolicy;
import io.renderrelay.worker.storage.SafeDownloader;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight's production rules refuse every form of an internal address (IPv6 loopback,
 * IPv4-mapped, NAT64 and 6to4 embeddings, decimal and short IPv4) and a public-looking name that
 * resolves to one, before any connection: each is a Rejected verdict, never a Transient one (a
 * Transient would mean a connection was tried).
 */
class InputSsrfTest {

  @Test
  void internalAddressesInAnyFormAndNamesResolvingToThemAreRefusedBeforeConnecting() {
    HostResolver names =
        host ->
            switch (host) {
              case "cdn.example.com" -> new InetAddress[] {InetAddress.getByName("10.0.0.5")};
              case "mixed.example.com" ->
                  new InetAddress[] {
                    InetAddress.getByName("93.184.216.34"), InetAddress.getByName("169.254.169.254")
                  };
              default -> InetAddress.getAllByName(host);
            };
    SafeDownloader production =
        new SafeDownloader(
            new OutputUrlPolicy(true, HostAllowList.of(List.of()), AddressFilter.publicOnly()),
            new SafeDownloader.Limits(1L << 30, Duration.ofSeconds(1), Duration.ofSeconds(1), 3, 4),
            names);
    try (InputChecker checker = new InputChecker(production, InputCheckerIT.SETTINGS)) {
      for (String host :
          new String[] {
            "[::1]",
            "[::ffff:127.0.0.1]",
            "[::ffff:7f00:1]",
            "[64:ff9b::a00:1]",
            "[2002:7f00:1::]",
            "[fd00:ec2::254]",
            "2130706433",
            "127.1",
            "0",
            "cdn.example.com",
            "mixed.example.com",
            "http://93.184.216.34"
          }) {
        String url = host.startsWith("http") ? host + "/a.mp4" : "https://" + host + "/a.mp4";
        assertThat(checker.check(InputCheckerIT.restyle(url), () -> true))
            .as(url)
            .isInstanceOfSatisfying(
                Verdict.Rejected.class, r -> assertThat(r.rule()).isEqualTo(Rule.REACHABLE));
      }
    }
  }
}
