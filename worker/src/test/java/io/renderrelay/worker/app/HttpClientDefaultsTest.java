package io.renderrelay.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class HttpClientDefaultsTest {

  @Test
  void theIdlePoolIsBoundedUnlessTheOperatorSetIt() {
    Properties none = new Properties();
    HttpClientDefaults.apply(none);
    assertThat(none.getProperty("jdk.httpclient.connectionPoolSize")).isEqualTo("64");

    Properties given = new Properties();
    given.setProperty("jdk.httpclient.connectionPoolSize", "0");
    HttpClientDefaults.apply(given);
    assertThat(given.getProperty("jdk.httpclient.connectionPoolSize")).isEqualTo("0");
  }
}
