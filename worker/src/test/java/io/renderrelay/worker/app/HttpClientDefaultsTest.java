package io.renderrelay.worker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  // review rv6b (operator mistakes): the JDK reads the property with Integer.decode and silently
  // takes 0, no bound at all, for anything it cannot parse (sun.net.NetProperties.getInteger), and
  // no bound for a negative size (ConnectionPool: MAX_POOL_SIZE > 0); such a value undid the bound
  // without a word. It is refused at start instead, naming the property and the value.
  @ParameterizedTest
  @ValueSource(strings = {"abc", "", " 64", "64 ", "-1", "1e3", "99999999999"})
  void aSizeTheJdkWouldIgnoreIsRefusedWithAClearError(String value) {
    Properties given = new Properties();
    given.setProperty("jdk.httpclient.connectionPoolSize", value);
    assertThatThrownBy(() -> HttpClientDefaults.apply(given))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Djdk.httpclient.connectionPoolSize=" + value)
        .hasMessageContaining("whole number >= 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "16", "0x40", "+8"})
  void aSizeTheJdkReadsIsKeptAsGiven(String value) {
    Properties given = new Properties();
    given.setProperty("jdk.httpclient.connectionPoolSize", value);
    HttpClientDefaults.apply(given);
    assertThat(given.getProperty("jdk.httpclient.connectionPoolSize")).isEqualTo(value);
  }
}
