package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputUrlPolicyTest {
  private final OutputUrlPolicy prod =
      new OutputUrlPolicy(
          true, HostAllowList.of(List.of("*.cdn.test")), AddressFilter.publicOnly());
  private final OutputUrlPolicy dev =
      new OutputUrlPolicy(false, HostAllowList.of(List.of()), AddressFilter.devMode());

  @Test
  void acceptsHttpsOnAllowedHost() {
    assertThatCode(() -> prod.checkUrl(URI.create("https://eu.cdn.test/v.mp4?sig=s3cr3t")))
        .doesNotThrowAnyException();
  }

  @Test
  void refusesWithClearReasons() {
    Map<String, String> cases =
        Map.of(
            "http://eu.cdn.test/v.mp4", "scheme 'http' is not https",
            "ftp://eu.cdn.test/v.mp4", "scheme 'ftp' is not https",
            "https://evil.test/v.mp4", "host evil.test is not in the allowed output hosts",
            "https://user:pw@eu.cdn.test/v.mp4", "carries user info",
            "/relative/v.mp4", "not an absolute URL",
            "file:///etc/passwd", "scheme 'file' is not https");
    cases.forEach(
        (url, reason) ->
            assertThatThrownBy(() -> prod.checkUrl(URI.create(url)))
                .as(url)
                .isInstanceOf(CopyException.Rejected.class)
                .hasMessageContaining(reason)
                .hasMessageNotContaining("pw"));
  }

  @Test
  void devModeAllowsPlainHttp() {
    assertThatCode(() -> dev.checkUrl(URI.create("http://localhost:8080/v.mp4")))
        .doesNotThrowAnyException();
  }

  @Test
  void addressRefusalsNameHostAndAddress() throws Exception {
    InetAddress ten = InetAddress.getByName("10.0.0.5");
    assertThat(prod.refuseAddress("10.0.0.5", ten))
        .hasValue("output URL host 10.0.0.5 is a private address");
    assertThat(prod.refuseAddress("Eu.Cdn.Test.", ten))
        .hasValue("output URL host eu.cdn.test resolves to 10.0.0.5, a private address");
    assertThat(prod.refuseAddress("eu.cdn.test", InetAddress.getByName("93.184.216.34"))).isEmpty();
  }

  @Test
  void devModeAllowsLoopbackButNeverMetadata() throws Exception {
    assertThat(dev.refuseAddress("localhost", InetAddress.getByName("127.0.0.1"))).isEmpty();
    assertThat(dev.refuseAddress("169.254.169.254", InetAddress.getByName("169.254.169.254")))
        .hasValue("output URL host 169.254.169.254 is a cloud metadata address");
  }

  @Test
  void dnsHookRefusesAHostIfAnyAddressIsRefused() throws Exception {
    HostResolver fake =
        host ->
            switch (host) {
              case "eu.cdn.test" ->
                  new InetAddress[] {
                    InetAddress.getByName("93.184.216.34"), InetAddress.getByName("192.168.0.9")
                  };
              case "ok.cdn.test" -> new InetAddress[] {InetAddress.getByName("93.184.216.34")};
              default -> throw new UnknownHostException(host);
            };
    var hook = new CheckingDnsResolver(fake, prod);
    assertThatThrownBy(() -> hook.resolve("eu.cdn.test"))
        .isInstanceOf(CheckingDnsResolver.RefusedAddressException.class)
        .hasMessage("output URL host eu.cdn.test resolves to 192.168.0.9, a private address");
    assertThat(hook.resolve("OK.cdn.test"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("93.184.216.34");
    var literalHook = new CheckingDnsResolver(HostResolver.system(), prod);
    assertThatThrownBy(() -> literalHook.resolve("[::1]"))
        .isInstanceOf(CheckingDnsResolver.RefusedAddressException.class)
        .hasMessage("output URL host ::1 is a loopback address");
  }

  @Test
  void fromSettingsFollowsTheDevSwitch() {
    var insecure = StorageSettingsFixture.settings(true, java.util.Set.of());
    var secure = StorageSettingsFixture.settings(false, java.util.Set.of("*.cdn.test"));
    assertThat(OutputUrlPolicy.from(insecure).requireHttps()).isFalse();
    assertThat(OutputUrlPolicy.from(secure).requireHttps()).isTrue();
    assertThat(OutputUrlPolicy.from(secure).allowedHosts().permits("a.cdn.test")).isTrue();
  }
}
