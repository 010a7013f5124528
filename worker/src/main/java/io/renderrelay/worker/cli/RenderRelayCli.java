package io.renderrelay.worker.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The operator CLI: dead letters (list, inspect, replay), submitting commands and following
 * terminal events. Exit codes: 0 ok, 1 failure, 2 usage error; errors are one line on stderr (with
 * a stack trace under --verbose).
 */
@Command(
    name = "render-relay",
    mixinStandardHelpOptions = true,
    version = "render-relay 0.1.0",
    description =
        "Operate render-relay: inspect and replay dead letters, submit commands, tail events,"
            + " look jobs up in the ledger, report spend.",
    footer = {
      "",
      "Settings: the worker's own (docs/configuration.md): RENDER_RELAY_* variables, --config"
          + " FILE, *_FILE secrets, kafka.client.* properties, registry auth, topic names.",
      "Exit codes: 0 ok, 1 failure, 2 usage error."
    },
    subcommands = {
      DltCommand.class,
      SubmitCommand.class,
      EventsCommand.class,
      JobsCommand.class,
      SpendCommand.class
    })
public final class RenderRelayCli implements Runnable {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "io/renderrelay/worker/cli/logback-cli.xml");
    }
    System.exit(run(CliContext.system(), args));
  }

  /** Parses and runs one invocation; returns the exit code. */
  public static int run(CliContext ctx, String... args) {
    return commandLine(ctx).execute(args);
  }

  /** The configured command line (tests parse and inspect it). */
  public static CommandLine commandLine(CliContext ctx) {
    CommandLine cl = new CommandLine(new RenderRelayCli(), new Factory(ctx));
    cl.setOut(ctx.out());
    cl.setErr(ctx.err());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    cl.setParameterExceptionHandler(RenderRelayCli::usageError);
    cl.setExecutionExceptionHandler(RenderRelayCli::failure);
    abbreviateSynopsis(cl);
    return cl;
  }

  private static void abbreviateSynopsis(CommandLine cl) {
    cl.getCommandSpec().usageMessage().abbreviateSynopsis(true);
    cl.getSubcommands().values().forEach(RenderRelayCli::abbreviateSynopsis);
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing command: dlt, submit, events or jobs");
  }

  private static int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    cmd.getErr().println("render-relay: " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, cmd.getErr());
    cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    cmd.getErr().flush();
    return CommandLine.ExitCode.USAGE;
  }

  private static int failure(Exception ex, CommandLine cmd, ParseResult parsed) {
    var err = cmd.getErr();
    if (ex instanceof CliUsageException) {
      err.println("render-relay: " + ex.getMessage());
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      err.flush();
      return CommandLine.ExitCode.USAGE;
    }
    String where = "";
    if (ex instanceof org.apache.kafka.common.errors.TimeoutException) {
      where =
          "Kafka did not answer in time (bootstrap servers "
              + bootstrapServers(cmd)
              + "; check kafka.bootstrap-servers and the kafka.client.* security settings): ";
    }
    err.println("render-relay: " + where + oneLine(ex));
    if (verbose(parsed)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return CommandLine.ExitCode.SOFTWARE;
  }

  /** The message of the exception and its causes, on one line, without repeats. */
  static String oneLine(Throwable ex) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = ex; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (sb.indexOf(m) < 0) {
        if (!sb.isEmpty()) {
          sb.append(": ");
        }
        sb.append(t instanceof CliException || t.getMessage() != null ? m : t.getClass().getName());
      }
      if (t instanceof CliException && t.getCause() == null) {
        break;
      }
    }
    return sb.toString().replace('\n', ' ');
  }

  /** The bootstrap servers the failed command used ("?" when they cannot be told). */
  private static String bootstrapServers(CommandLine cmd) {
    for (CommandSpec mixin : cmd.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof GlobalOptions g) {
        try {
          return g.bootstrapServers();
        } catch (CliException e) {
          return "?";
        }
      }
    }
    return "?";
  }

  private static boolean verbose(ParseResult parsed) {
    ParseResult p = parsed;
    while (p.hasSubcommand()) {
      p = p.subcommand();
    }
    return p.hasMatchedOption("--verbose");
  }

  /** Hands the {@link CliContext} to every command (and converter) with such a constructor. */
  private record Factory(CliContext ctx) implements IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        Constructor<K> c = cls.getDeclaredConstructor(CliContext.class);
        c.setAccessible(true);
        return c.newInstance(ctx);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
