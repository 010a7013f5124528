package io.renderrelay.e2e.chaos;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/chaos}: N jobs through three worker processes while workers are SIGKILLed, the
 * broker restarts, S3 goes away and the provider misbehaves; then every invariant is checked and
 * one line is printed: {@code chaos: scenarios=kill jobs=N completed=C failed=F ambiguous=A
 * unpaid_ambiguous=U stuck=S lost=0 duplicate_events=0 double_paid=0 bad_objects=0}. With {@code
 * --scenario deploy,scale,stall,skew} it runs production-life scenarios instead ({@link
 * ScenarioRun}). Exit code 0 when every invariant held, 1 on a violation, 2 when the run itself
 * could not be carried out.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description =
        "Kill workers, restart the broker, pause S3 and misbehave as the provider while"
            + " jobs run; then check: one terminal event per job, one paid task per job (except"
            + " AMBIGUOUS), outputs byte-identical to the provider's, DLT records with reasons.")
public final class ChaosMain implements Callable<Integer> {

  @Option(
      names = "--seed",
      description = "Seed of the fault schedule and the simulator (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--jobs", description = "Jobs to run (default ${DEFAULT-VALUE}).")
  int jobs = 1000;

  @Option(
      names = "--minutes",
      description =
          "Length of the fault window; jobs are published in its first 85 %% (default"
              + " ${DEFAULT-VALUE}, minimum 2).")
  int minutes = 10;

  @Option(
      names = "--scenario",
      split = ",",
      description =
          "Scenarios, comma-separated: kill (the default: SIGKILLs, a broker restart, an S3"
              + " outage, provider bursts; runs alone), or any of deploy, scale, stall, skew,"
              + " upgrade"
              + " (run in turn on one stack; --jobs is per scenario, deploy queues at least 500).")
  List<String> scenarios = List.of("kill");

  @Option(names = "--work-dir", description = "Where worker logs go (default ${DEFAULT-VALUE}).")
  Path workDir = Path.of("target", "chaos");

  public static void main(String[] args) {
    System.exit(new CommandLine(new ChaosMain()).execute(args));
  }

  @Override
  public Integer call() {
    List<Scenario> chosen;
    try {
      chosen = Scenario.parse(String.join(",", scenarios));
    } catch (IllegalArgumentException e) {
      System.err.println("chaos: " + e.getMessage());
      return 2;
    }
    Path dir = workDir.resolve("seed-" + seed).toAbsolutePath();
    if (!chosen.contains(Scenario.KILL)) {
      return report(
          () ->
              new ScenarioRun(ScenarioSettings.script(seed, jobs, chosen, dir), System.out::println)
                  .run());
    }
    if (minutes < 2) {
      System.err.println("chaos: --minutes must be at least 2 (the S3 outage alone lasts 30 s)");
      return 2;
    }
    ChaosSettings settings = ChaosSettings.script(seed, jobs, minutes, dir);
    return report(() -> new ChaosRun(settings, System.out::println).run());
  }

  private static int report(Callable<ChaosReport> run) {
    try {
      ChaosReport report = run.call();
      report.lines().forEach(System.out::println);
      return report.ok() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("chaos: the run could not be carried out: " + e);
      e.printStackTrace(System.err);
      return 2;
    }
  }
}
