package io.renderrelay.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.config.SpendSettings.Cap;
import io.renderrelay.worker.config.SpendSettings.Period;
import io.renderrelay.worker.config.SpendSettings.Price;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpendValuesTest {

  @Test
  void pricesParseWithModelEntriesFirst() {
    assertThat(SpendValues.prices("restyle=0.20, act-one=0.05/s, restyle:gen4=0.25/task"))
        .containsExactly(
            new Price("restyle", Optional.of("gen4"), 250_000, 0),
            new Price("restyle", Optional.empty(), 200_000, 0),
            new Price("act-one", Optional.empty(), 0, 50_000));
    assertThat(SpendValues.prices("")).isEmpty();
  }

  @Test
  void capsAndTenantCapsParse() {
    assertThat(SpendValues.cap("50/day")).isEqualTo(new Cap(50_000_000, Period.DAY));
    assertThat(SpendValues.tenantCaps("acme=10.5/month,globex=1/day"))
        .isEqualTo(
            Map.of(
                "acme", new Cap(10_500_000, Period.MONTH),
                "globex", new Cap(1_000_000, Period.DAY)));
  }

  @Test
  void badValuesGetClearMessages() {
    assertThatThrownBy(() -> SpendValues.cap("50")).hasMessageContaining("AMOUNT/day");
    assertThatThrownBy(() -> SpendValues.cap("50/week")).hasMessageContaining("day or month");
    assertThatThrownBy(() -> SpendValues.prices("upscale=1")).hasMessageContaining("restyle");
    assertThatThrownBy(() -> SpendValues.prices("restyle=0.1/min")).hasMessageContaining("/s");
    assertThatThrownBy(() -> Money.parse("-1")).hasMessageContaining("negative");
    assertThatThrownBy(() -> Money.parse("0.0000001")).hasMessageContaining("6 decimals");
    assertThatThrownBy(() -> SpendValues.tenantCaps("acme=1/day,acme=2/day"))
        .hasMessageContaining("two caps");
  }

  @Test
  void moneyFormatsWithAtLeastTwoDecimals() {
    assertThat(Money.format(500_000)).isEqualTo("0.50");
    assertThat(Money.format(1_234_567)).isEqualTo("1.234567");
    assertThat(Money.format(0)).isEqualTo("0.00");
  }
}
