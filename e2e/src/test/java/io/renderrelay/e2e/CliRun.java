package io.renderrelay.e2e;

import io.renderrelay.worker.cli.CliContext;
import io.renderrelay.worker.cli.KafkaTools;
import io.renderrelay.worker.cli.RenderRelayCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/**
 * Runs the operator CLI in this JVM against real clients, as {@code scripts/render-relay} would.
 *
 * @param exit the exit code
 * @param out what it printed on stdout
 * @param err what it printed on stderr
 */
record CliRun(int exit, String out, String err) {

  /** Runs {@code render-relay args...} with the given environment (its RENDER_RELAY_* settings). */
  static CliRun run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            Clock.systemUTC(),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            KafkaTools::new,
            io.renderrelay.worker.retry.Sleeper.system(),
            System::nanoTime,
            CliContext.Terminal.fromLauncher(),
            environment);
    int exit = RenderRelayCli.run(ctx, args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
