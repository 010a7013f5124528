package io.renderrelay.worker.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {

  @TempDir Path dir;

  @Test
  void aSecondClaimOfOneInstanceIdIsRefusedWithAClearError() throws Exception {
    try (InstanceLock first = InstanceLock.acquire(dir, "render-relay-host")) {
      assertThat(first.file()).exists();
      assertThatThrownBy(() -> InstanceLock.acquire(dir, "render-relay-host"))
          .isInstanceOf(InstanceLock.DuplicateInstanceException.class)
          .hasMessageContaining("instance id 'render-relay-host' is already in use")
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .hasMessageContaining("instance.id");
      try (InstanceLock other = InstanceLock.acquire(dir, "render-relay-2")) {
        assertThat(other.file()).isNotEqualTo(first.file());
      }
    }
  }

  @Test
  void theIdIsFreeAgainOnceTheHolderClosed() throws Exception {
    InstanceLock.acquire(dir, "w-1").close();
    try (InstanceLock again = InstanceLock.acquire(dir, "w-1")) {
      assertThat(again.file()).exists();
    }
  }
}
