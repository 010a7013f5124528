package io.renderrelay.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpHeadersTest {

  @Test
  void readsTheOtelSpelling() {
    assertThat(OtlpHeaders.parse("Authorization=Bearer%20s3cr3t, x-tenant = acme"))
        .containsExactly(
            Map.entry("Authorization", "Bearer s3cr3t"), Map.entry("x-tenant", "acme"));
    assertThat(OtlpHeaders.parse(" ")).isEmpty();
    assertThat(OtlpHeaders.parse("api-key=a=b")).containsEntry("api-key", "a=b");
  }

  @Test
  void malformedEntriesAreNamedByPositionNeverByValue() {
    assertThatThrownBy(() -> OtlpHeaders.parse("a=1,s3cr3t"))
        .hasMessage("entry 2 is not name=value with a valid header name")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(() -> OtlpHeaders.parse("bad name=x")).hasMessageContaining("entry 1");
    assertThatThrownBy(() -> OtlpHeaders.parse("k=%zzs3cr3t"))
        .hasMessageContaining("entry 1 (k)")
        .hasMessageNotContaining("s3cr3t");
    assertThat(OtlpHeaders.problem("a=1,,"))
        .contains("entry 2 is not name=value with a valid header name");
    assertThat(OtlpHeaders.problem("a=1")).isEmpty();
  }
}
