package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.JobType;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyLayoutTest {
  private final KeyLayout layout = new KeyLayout("renders");

  @Test
  void buildsTheDocumentedKeys() {
    assertThat(layout.key(JobType.RESTYLE, null, "job-42", OutputKind.VIDEO))
        .isEqualTo("renders/restyle/job-42/video.mp4");
    assertThat(layout.key(JobType.ACT_ONE, "acme/2024", "job-42", OutputKind.POSTER))
        .isEqualTo("renders/act-one/acme/2024/job-42/poster.png");
    assertThat(layout.key(JobType.RESTYLE, "", "J_1.x", OutputKind.LAST_FRAME))
        .isEqualTo("renders/restyle/J_1.x/last_frame.png");
  }

  @Test
  void isDeterministicAndIgnoresRootSlashes() {
    String a = layout.key(JobType.RESTYLE, "p", "j", OutputKind.VIDEO);
    String b = new KeyLayout("/renders/").key(JobType.RESTYLE, "p", "j", OutputKind.VIDEO);
    assertThat(a).isEqualTo(b).isEqualTo(layout.key(JobType.RESTYLE, "p", "j", OutputKind.VIDEO));
    assertThat(new KeyLayout("").key(JobType.RESTYLE, null, "j", OutputKind.VIDEO))
        .isEqualTo("restyle/j/video.mp4");
  }

  @Test
  void refusesHostileJobIds() {
    for (String id :
        List.of("..", ".", "a/b", "../etc", "a\u0000b", "a\nb", "a b", "a%2Fb", "", "é", "a\\b")) {
      assertThatThrownBy(() -> layout.key(JobType.RESTYLE, null, id, OutputKind.VIDEO))
          .as(id)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("job id");
    }
    assertThatThrownBy(() -> layout.key(JobType.RESTYLE, null, "x".repeat(201), OutputKind.VIDEO))
        .hasMessageContaining("longer than 200");
    assertThatThrownBy(() -> layout.key(JobType.RESTYLE, null, "a\u0007", OutputKind.VIDEO))
        .hasMessageContaining("U+0007");
  }

  @Test
  void refusesHostileOutputPrefixes() {
    for (String prefix : List.of("/abs", "a/../b", "a//b", "a//", "..", "a/./b", "a\tb", "a?b")) {
      assertThatThrownBy(() -> layout.key(JobType.ACT_ONE, prefix, "j", OutputKind.VIDEO))
          .as(prefix)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("output prefix");
    }
  }

  @Test
  void takesWhatTheValidatorTakes() {
    assertThat(layout.key(JobType.RESTYLE, "acme/", "order:42", OutputKind.VIDEO))
        .isEqualTo("renders/restyle/acme/order:42/video.mp4");
    assertThat(layout.key(JobType.ACT_ONE, "dt=2024-05-01", "j", OutputKind.POSTER))
        .isEqualTo("renders/act-one/dt=2024-05-01/j/poster.png");
  }

  @Test
  void refusesUnknownJobTypeAndBadRoot() {
    assertThatThrownBy(() -> layout.key(JobType.UNKNOWN, null, "j", OutputKind.VIDEO))
        .hasMessageContaining("UNKNOWN");
    assertThatThrownBy(() -> new KeyLayout("a/../b")).hasMessageContaining("root prefix");
  }

  @Test
  void requireSafeKeyGuardsTheCopier() {
    KeyLayout.requireSafeKey("renders/restyle/j/video.mp4");
    for (String key : List.of("/x", "a/../b", "a//b", "a\rb", "", "a/")) {
      assertThatThrownBy(() -> KeyLayout.requireSafeKey(key))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
