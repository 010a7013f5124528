package io.renderrelay.worker.provider;

import static io.renderrelay.worker.provider.Fixtures.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.Secret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {

  private final Redactor redactor = new Redactor(Fixtures.SECRET);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "key is KEY here",
        "Authorization: Bearer KEY",
        "authorization=Bearer KEY; next",
        "{\"Authorization\": \"Bearer KEY\"}",
        "{\\\"authorization\\\":\\\"Bearer KEY\\\"}",
        "escaped KEYJSON in json",
        "url encoded KEYURL in a query",
        "Bearer KEY",
        "proxy-authorization: Basic KEY"
      })
  void keyNeverSurvives(String template) {
    String text =
        template
            .replace("KEYJSON", API_KEY.replace("/", "\\/"))
            .replace("KEYURL", URLEncoder.encode(API_KEY, StandardCharsets.UTF_8))
            .replace("KEY", API_KEY);
    String out = redactor.redact(text);
    assertThat(out).doesNotContain(API_KEY).doesNotContain("9f8e7d6c5b4a3f2e1d0c");
    assertThat(out).contains(Redactor.MASK);
  }

  @Test
  void anyBearerTokenAndAuthorizationValueIsMasked() {
    assertThat(redactor.redact("sent Bearer someone-elses.token_123 ok"))
        .isEqualTo("sent Bearer [redacted] ok");
    assertThat(redactor.redact("Authorization: Basic dXNlcjpwYXNz\nnext line"))
        .isEqualTo("Authorization: [redacted]\nnext line");
  }

  @Test
  void harmlessTextIsKept() {
    String text = "task t-1 failed: SAFETY.INPUT.TEXT (authorization of the account is fine)";
    assertThat(redactor.redact(text)).isEqualTo(text);
    assertThat(redactor.redact(null)).isEqualTo("null");
  }

  @Test
  void snippetsAreFlatTruncatedAndRedacted() {
    String body = "line one\n  line two Bearer " + API_KEY + "\n" + "x".repeat(500);
    String snippet = redactor.snippet(body, 60);
    assertThat(snippet).doesNotContain(API_KEY).doesNotContain("\n");
    assertThat(snippet).startsWith("line one line two Bearer [redacted]");
    assertThat(snippet).endsWith("more chars)");
    assertThat(redactor.snippet("", 10)).isEqualTo("<empty body>");
    assertThat(redactor.snippet(null, 10)).isEqualTo("<no body>");
  }

  @Test
  void anEmptyKeyMasksOnlyHeaders() {
    Redactor empty = new Redactor(new Secret(""));
    assertThat(empty.redact("plain text")).isEqualTo("plain text");
    assertThat(empty.redact("Bearer abc")).isEqualTo("Bearer [redacted]");
    assertThat(empty.toString()).doesNotContain(API_KEY);
    assertThat(redactor.toString()).doesNotContain(API_KEY);
  }
}
