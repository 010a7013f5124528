package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobIdsTest {
  @Test
  void takesTheSegmentAfterCallbacks() {
    assertThat(JobIds.fromCallbackUrl("http://127.0.0.1:8080/callbacks/job-42/s3cr3t"))
        .isEqualTo("job-42");
    assertThat(JobIds.fromCallbackUrl("https://w.example/api/callbacks/abc")).isEqualTo("abc");
    assertThat(JobIds.fromCallbackUrl("https://w.example/callbacks/j%2F1/t?x=1"))
        .isEqualTo("j%2F1");
  }

  @Test
  void fallsBackToTheWholeUrl() {
    assertThat(JobIds.fromCallbackUrl("https://w.example/hook/job-1"))
        .isEqualTo("https://w.example/hook/job-1");
    assertThat(JobIds.fromCallbackUrl("https://w.example/callbacks/"))
        .isEqualTo("https://w.example/callbacks/");
    assertThat(JobIds.fromCallbackUrl("not a url at all")).isEqualTo("not a url at all");
  }
}
