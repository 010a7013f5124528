package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON form of the fault knobs used by /_sim/faults. */
class FaultPatchTest {
  private final Faults faults = new Faults();

  private void patch(String json) throws Exception {
    ControlHandler.FaultPatch.apply(faults, JsonRoute.JSON.readTree(json));
  }

  @Test
  void setsAndClearsKnobs() throws Exception {
    patch(
        """
        {"rate429": {"probability": 0.5, "retryAfterSeconds": 3},
         "rate5xx": {"probability": 1, "statuses": [502, 503]},
         "noCredit": true, "failTasks": 0.25, "fileRedirect": "http://169.254.169.254/x",
         "expireOutputs": {"status": 403, "deliveryWindowMillis": 0}}\
        """);
    assertThat(faults.rate429()).isEqualTo(new Faults.Rate429(0.5, 3));
    assertThat(faults.rate5xx().statuses()).isEqualTo(List.of(502, 503));
    assertThat(faults.noCredit()).isTrue();
    assertThat(faults.failTasks()).isEqualTo(0.25);
    assertThat(faults.fileRedirect()).isEqualTo("http://169.254.169.254/x");
    patch("{\"rate429\": null, \"noCredit\": false}");
    assertThat(faults.rate429()).isNull();
    assertThat(faults.noCredit()).isFalse();
    assertThat(faults.rate5xx()).isNotNull();
    faults.clear();
    assertThat(faults.snapshot()).isEqualTo(new Faults().snapshot());
  }

  @Test
  void refusesUnknownKnobsAndBadValues() {
    assertThatThrownBy(() -> patch("{\"nope\": 1}")).hasMessageContaining("unknown fault 'nope'");
    assertThatThrownBy(() -> patch("{\"rate429\": {\"probability\": 2}}"))
        .hasMessageContaining("rate429")
        .hasMessageContaining("within 0..1");
    assertThatThrownBy(() -> patch("{\"rate5xx\": {\"probability\": 1, \"statuses\": [404]}}"))
        .hasMessageContaining("must be 5xx");
    assertThatThrownBy(() -> patch("[1]")).hasMessageContaining("JSON object");
  }
}
