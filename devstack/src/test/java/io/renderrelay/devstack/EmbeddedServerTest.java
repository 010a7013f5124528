package io.renderrelay.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServerTest {

  /** Records what the lifecycle asked of it; its "server" is a number. */
  static final class Recording extends EmbeddedServer<Integer> {
    final List<String> calls = new ArrayList<>();
    int started;

    Recording(Optional<Path> dir) {
      super("recording server", dir, "test");
    }

    @Override
    protected Integer startServer() {
      started++;
      calls.add("start " + started);
      return started;
    }

    @Override
    protected void stopQuietly(Integer server) {
      calls.add("stop " + server);
    }

    @Override
    protected String address() {
      return "nowhere";
    }

    @Override
    protected void release() {
      calls.add("release");
    }
  }

  @Test
  void startAndStopAreNoOpsWhenAlreadyInThatState() {
    try (Recording s = new Recording(Optional.empty())) {
      s.stop();
      s.start();
      s.start();
      assertThat(s.isRunning()).isTrue();
      s.stop();
      s.stop();
      assertThat(s.isRunning()).isFalse();
      s.start();
      assertThat(s.calls).containsExactly("start 1", "stop 1", "start 2");
    }
  }

  @Test
  void closeStopsReleasesOnceAndDeletesOnlyATemporaryDirectory(@TempDir Path given)
      throws Exception {
    Recording temp = new Recording(Optional.empty());
    Path tempDir = temp.dataDirectory();
    Files.writeString(tempDir.resolve("data"), "x");
    temp.start();
    temp.close();
    temp.close();
    assertThat(temp.calls).containsExactly("start 1", "stop 1", "release");
    assertThat(tempDir).doesNotExist();
    assertThatThrownBy(temp::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("recording server is closed");

    Path kept = given.resolve("kept");
    try (Recording owned = new Recording(Optional.of(kept))) {
      owned.start();
    }
    assertThat(kept).isDirectory();
  }
}
