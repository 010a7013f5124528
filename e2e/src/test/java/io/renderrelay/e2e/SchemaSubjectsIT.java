package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SchemaRegistryClient;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On a fresh stack, with no JVM client having published anything, the worker's start alone puts the
 * command and event subjects in the registry: a Node.js or Python producer finds them.
 */
@Timeout(120)
class SchemaSubjectsIT {

  static DevStack stack;
  static RenderRelayWorker worker;
  static SchemaRegistryClient registry;

  @BeforeAll
  static void start() throws Exception {
    stack = DevStack.start(DevStackConfig.defaults());
    registry =
        new HttpSchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl().orElseThrow()));
    assertThat(registry.subjects()).as("a fresh registry").isEmpty();
    worker =
        RenderRelayWorker.start(
            new WorkerSettings(stack, "subjects-1").config(), Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    Closing.all(registry, worker, stack);
  }

  @Test
  void theWorkersStartRegistersItsCommandAndEventSubjects() {
    assertThat(registry.subjects())
        .contains(
            "render.commands.restyle-value",
            "render.commands.act-one-value",
            "render.events-io.renderrelay.avro.RenderCompleted",
            "render.events-io.renderrelay.avro.RenderFailed");
  }
}
