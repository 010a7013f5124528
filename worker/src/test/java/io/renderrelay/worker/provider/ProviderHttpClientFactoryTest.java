package io.renderrelay.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class ProviderHttpClientFactoryTest {

  @Test
  void clientNeverFollowsRedirectsAndVerifiesTls() throws Exception {
    try (HttpClient client = new ProviderHttpClientFactory().create(Duration.ofSeconds(3), null)) {
      assertThat(client.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
      assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(client.connectTimeout()).contains(Duration.ofSeconds(3));
      assertThat(client.sslContext()).isSameAs(SSLContext.getDefault());
      assertThat(client.sslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
      assertThat(client.proxy()).isEmpty();
    }
  }

  @Test
  void nonPositiveTimeoutIsRefused() {
    assertThatThrownBy(() -> new ProviderHttpClientFactory().create(Duration.ZERO, null))
        .hasMessageContaining("connect timeout");
  }
}
