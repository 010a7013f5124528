package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SubmitRequestsTest {

  private static ObjectNode restyle() {
    ObjectNode b = JsonRoute.JSON.createObjectNode();
    b.put("callback_url", "http://127.0.0.1:9/callbacks/j/t");
    b.put("video", "https://cdn.example/in.mp4");
    b.put("model", "gen4");
    b.put("prompt", "pixelated style");
    b.putObject("options").put("structure_transformation", 0.5).put("flip", false);
    return b;
  }

  @Test
  void acceptsAValidRestyleAndActOne() throws Exception {
    assertThat(SubmitRequests.validate(JobKind.RESTYLE, restyle()))
        .isEqualTo(
            new SubmitRequests.Accepted("http://127.0.0.1:9/callbacks/j/t", "pixelated style"));
    ObjectNode act = JsonRoute.JSON.createObjectNode();
    act.put("callback_url", "http://127.0.0.1:9/callbacks/j/t");
    act.put("video", "https://cdn.example/perf.mp4");
    act.put("image", "https://cdn.example/face.png");
    assertThat(SubmitRequests.validate(JobKind.ACT_ONE, act).callbackUrl()).endsWith("/j/t");
    act.remove("image");
    assertThatThrownBy(() -> SubmitRequests.validate(JobKind.ACT_ONE, act))
        .hasMessageContaining("image is required");
  }

  @Test
  void refusesMissingFieldsBadRangesAndBadUrls() {
    ObjectNode noPrompt = restyle();
    noPrompt.remove("prompt");
    assertThatThrownBy(() -> SubmitRequests.validate(JobKind.RESTYLE, noPrompt))
        .hasMessageContaining("prompt is required");
    ObjectNode range = restyle();
    ((ObjectNode) range.get("options")).put("structure_transformation", 1.5);
    assertThatThrownBy(() -> SubmitRequests.validate(JobKind.RESTYLE, range))
        .hasMessageContaining("within 0..1");
    ObjectNode flip = restyle();
    ((ObjectNode) flip.get("options")).put("flip", "yes");
    assertThatThrownBy(() -> SubmitRequests.validate(JobKind.RESTYLE, flip))
        .hasMessageContaining("flip must be a boolean");
    ObjectNode url = restyle();
    url.put("video", "ftp://x/y");
    assertThatThrownBy(() -> SubmitRequests.validate(JobKind.RESTYLE, url))
        .hasMessageContaining("video must be an absolute http(s) URL");
    ObjectNode noOptions = restyle();
    noOptions.remove("options");
    assertThatThrownBy(() -> SubmitRequests.validate(JobKind.RESTYLE, noOptions))
        .hasMessageContaining("options is required");
    assertThatThrownBy(() -> SubmitRequests.validate(JobKind.RESTYLE, null))
        .hasMessageContaining("JSON object");
  }
}
