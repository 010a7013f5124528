package io.renderrelay.worker.app;

import io.renderrelay.worker.config.ConfigException;
import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.LoadedConfig;
import io.renderrelay.worker.logging.LogRedaction;
import io.renderrelay.worker.logging.SecretRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the worker: loads the configuration (environment, then an optional properties file),
 * fails fast with every invalid key listed, starts, and on SIGTERM drains in-flight work within
 * {@code shutdown.grace} before it exits.
 */
@Command(
    name = "render-relay-worker",
    mixinStandardHelpOptions = true,
    description = "The render-relay worker. Settings: docs/configuration.md (RENDER_RELAY_* variables).")
public final class Main implements java.util.concurrent.Callable<Integer> {

  @Option(names = "--config", description = "A properties file with settings (never secrets).")
  private Path configFile;

  @Option(names = "--print-config", description = "Print the effective configuration (secrets redacted) and exit.")
  private boolean printConfig;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    LoadedConfig loaded;
    try {
      loaded = ConfigLoader.loadWithSources(ConfigSources.system(Optional.ofNullable(configFile)));
    } catch (ConfigException e) {
      System.err.println("render-relay: invalid configuration\n" + e.getMessage());
      return 2;
    }
    SecretRegistry secrets = new SecretRegistry();
    secrets.registerAll(loaded.secretValues());
    LogRedaction.installInLogback(new LogRedaction(secrets));
    if (printConfig) {
      System.out.println(io.renderrelay.worker.config.ConfigDump.render(loaded));
      return 0;
    }
    RenderRelayWorker worker = RenderRelayWorker.start(loaded.config(), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("rr-shutdown")
                .unstarted(
                    () -> {
                      worker.close();
                      stopped.countDown();
                    }));
    System.out.println("READY worker http=" + worker.httpAddress());
    stopped.await();
    return 0;
  }
}
