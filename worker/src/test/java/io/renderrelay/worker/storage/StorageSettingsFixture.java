package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** StorageSettings for unit tests (no sockets are opened by building them). */
final class StorageSettingsFixture {
  private StorageSettingsFixture() {}

  static StorageSettings settings(boolean insecure, Set<String> hosts) {
    return new StorageSettings(
        Optional.of(URI.create("http://127.0.0.1:9")),
        "eu-west-1",
        "renders-bucket",
        "/renders/",
        true,
        Optional.of("AKIDEXAMPLE"),
        Optional.of(new Secret("wJalrXUtnFEMI")),
        8L * 1024 * 1024,
        1024L * 1024 * 1024,
        hosts,
        insecure,
        Duration.ofSeconds(30),
        4);
  }
}
