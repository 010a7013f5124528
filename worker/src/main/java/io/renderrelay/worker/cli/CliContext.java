package io.renderrelay.worker.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.function.Function;

/**
 * What commands need from the outside world, injected so tests run without sockets or real time.
 *
 * @param clients builds Kafka clients and serdes from the global options
 * @param sleeper waits (the rate limiter); tests pass one that advances a fake clock
 * @param nanoTime a monotonic clock for rates and progress
 * @param terminal whether stdin/stderr are terminals, and the confirmation prompt
 * @param environment the RENDER_RELAY_* settings (the process environment; tests pass their own)
 */
public record CliContext(
    Clock clock,
    PrintWriter out,
    PrintWriter err,
    Function<GlobalOptions, ClientFactory> clients,
    io.renderrelay.worker.retry.Sleeper sleeper,
    java.util.function.LongSupplier nanoTime,
    Terminal terminal,
    java.util.Map<String, String> environment) {

  public CliContext {
    environment = java.util.Map.copyOf(environment);
  }

  /** The real world: system clock, stdout/stderr, real Kafka clients, the environment. */
  public static CliContext system() {
    return new CliContext(
        Clock.systemUTC(),
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        KafkaTools::new,
        io.renderrelay.worker.retry.Sleeper.system(),
        System::nanoTime,
        Terminal.fromLauncher(),
        System.getenv());
  }

  /** The interactive side of the process. */
  public interface Terminal {
    /** True when stdin is a terminal (a confirmation can be asked). */
    boolean stdinIsTerminal();

    /** True when stderr is a terminal (the progress bar is drawn then). */
    boolean stderrIsTerminal();

    /** Asks a yes/no question on the terminal; false when there is no terminal to ask on. */
    boolean confirm(String question);

    /**
     * The launcher (scripts/render-relay) tells the JVM whether stdin and stderr are terminals
     * ({@code -Drr.tty.stdin=true}, {@code -Drr.tty.stderr=true}); Java 21 cannot find out.
     */
    static Terminal fromLauncher() {
      boolean stdin = Boolean.getBoolean("rr.tty.stdin");
      boolean stderr = Boolean.getBoolean("rr.tty.stderr");
      return new Terminal() {
        @Override
        public boolean stdinIsTerminal() {
          return stdin && System.console() != null;
        }

        @Override
        public boolean stderrIsTerminal() {
          return stderr;
        }

        @Override
        public boolean confirm(String question) {
          if (!stdin || System.console() == null) {
            return false;
          }
          String answer = System.console().readLine("%s [y/N] ", question);
          return answer != null && answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y");
        }
      };
    }
  }
}
