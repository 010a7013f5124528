package io.renderrelay.e2e;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Worker settings for the embedded stack: the same keys an operator sets, given as overrides and
 * environment (secrets only through the environment, as in production).
 */
public final class WorkerSettings {

  public static final String CALLBACK_SECRET = "e2e-callback-secret-0123456789";

  private final Map<String, String> overrides = new HashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> classpathFirst = new java.util.ArrayList<>();
  private final int httpPort;
  private final int managementPort;

  public WorkerSettings(DevStack stack, String instanceId) {
    this.httpPort = freePort();
    this.managementPort = freePort();
    overrides.put("kafka.bootstrap-servers", stack.kafka().bootstrapServers());
    overrides.put("kafka.commit-interval", "50ms");
    overrides.put("registry.url", stack.registryUrl().orElseThrow());
    overrides.put("provider.base-url", stack.providerUrl().orElseThrow());
    overrides.put("provider.callback-base-url", "http://127.0.0.1:" + httpPort + "/callbacks");
    overrides.put("provider.submits-per-second", "500");
    overrides.put("provider.polls-per-second", "2000");
    overrides.put("provider.task-not-found-grace", "30s");
    overrides.put("storage.endpoint", stack.s3().endpoint().toString());
    overrides.put("storage.bucket", stack.bucket());
    overrides.put("storage.path-style", "true");
    overrides.put("storage.region", stack.s3().region());
    overrides.put("storage.access-key-id", stack.s3().accessKey());
    overrides.put("storage.allow-insecure-outputs", "true");
    overrides.put("jobs.dev-mode", "true");
    overrides.put("poll.tiers", "render.poll.1s:1s:10,render.poll.3s:3s:0");
    overrides.put("http.bind-address", "127.0.0.1");
    overrides.put("http.port", Integer.toString(httpPort));
    overrides.put("http.management-port", Integer.toString(managementPort));
    overrides.put("http.callbacks-per-second", "10000");
    overrides.put("instance.id", instanceId);
    overrides.put("instance.topic-partitions", "4");
    overrides.put("instance.topic-replication-factor", "1");
    overrides.put("instance.submit-retry-delay", "500ms");
    overrides.put("shutdown.grace", "15s");
    try {
      java.nio.file.Path ledgers = Files.createTempDirectory("rr-ledger-");
      // the store deletes its own directory on close; this removes the then empty parent
      ledgers.toFile().deleteOnExit();
      overrides.put("instance.ledger-dir", ledgers.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.put("RENDER_RELAY_PROVIDER_API_KEY", stack.simulator().config().apiKey());
    env.put("RENDER_RELAY_STORAGE_SECRET_ACCESS_KEY", stack.s3().secretKey());
    env.put("RENDER_RELAY_INSTANCE_CALLBACK_SECRET", CALLBACK_SECRET);
  }

  /**
   * Adds a JVM option to the worker process, e.g. the test-only clock offset {@code
   * -Drenderrelay.testing.clock-offset=PT10M}.
   */
  public WorkerSettings withJvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  /**
   * Puts {@code entry} before this build's classpath in the worker process (a worker of another
   * build of some module, e.g. the next schema version).
   */
  public WorkerSettings withClasspathFirst(java.nio.file.Path entry) {
    classpathFirst.add(entry.toString());
    return this;
  }

  /** The entries added with {@link #withClasspathFirst}. */
  public List<String> classpathFirst() {
    return List.copyOf(classpathFirst);
  }

  /** The JVM options added with {@link #withJvmOption}. */
  public List<String> jvmOptions() {
    return List.copyOf(jvmOptions);
  }

  /** Sets or replaces one key (e.g. {@code jobs.default-deadline}). */
  public WorkerSettings with(String key, String value) {
    overrides.put(key, value);
    return this;
  }

  /** Sets or replaces one environment variable, e.g. a secret such as the provider API key. */
  public WorkerSettings withEnv(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** The worker's {@code instance.id}. */
  public String instanceId() {
    return overrides.get("instance.id");
  }

  /** The public callback port. */
  int httpPort() {
    return httpPort;
  }

  /** The management port: health and metrics. */
  public int managementPort() {
    return managementPort;
  }

  public WorkerConfig config() {
    try {
      return ConfigLoader.load(new ConfigSources(overrides, env, Optional.empty()));
    } catch (io.renderrelay.worker.config.ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The same settings as environment variables, for a worker in a child process. */
  public Map<String, String> asEnvironment() {
    Map<String, String> out = new HashMap<>(env);
    overrides.forEach(
        (k, v) ->
            out.put("RENDER_RELAY_" + k.toUpperCase().replace('.', '_').replace('-', '_'), v));
    return out;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
