package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the demo in this JVM as {@code scripts/demo --jobs 4} would, and reads what it printed. */
@Timeout(240)
class DemoIT {

  @Test
  void fourJobsCompleteAndTheTableShowsWhereTheyLanded() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    int code =
        DemoMain.commandLine(new DemoMain(out, err, Optional.empty(), Clock.systemUTC()))
            .execute(
                "--jobs", "4", "--time-scale", "0.005", "--format", "modern", "--timeout", "90s");

    List<String> lines = outBytes.toString(StandardCharsets.UTF_8).lines().toList();
    String errText = errBytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", lines, errText).isZero();
    assertThat(lines.get(0))
        .matches(
            "READY kafka=127\\.0\\.0\\.1:\\d+ registry=http://\\S+ s3=http://\\S+"
                + " provider=http://\\S+");
    assertThat(lines.get(1))
        .startsWith("JOB")
        .contains("STATE", "ATTEMPTS", "S3 KEY", "BYTES", "SHA256");
    List<String> rows = lines.subList(3, 7);
    assertThat(rows)
        .allSatisfy(
            row ->
                assertThat(row)
                    .matches(
                        "(restyle|act-one)-[0-9a-f]{6}-\\d\\s+(restyle|act-one)\\s+COMPLETED\\s+1\\s+"
                            + "renders/(restyle|act-one)/\\S+/video\\.mp4\\s+\\d+\\s+[0-9a-f]{12}"));
    assertThat(rows.stream().map(r -> r.split("\\s+")[1]).collect(Collectors.toList()))
        .containsExactly("restyle", "restyle", "act-one", "act-one");
    assertThat(rows)
        .allSatisfy(r -> assertThat(r.split("\\s+")[4]).contains("/" + r.split("\\s+")[0] + "/"));
    assertThat(lines.get(lines.size() - 3))
        .matches(
            "demo: renders landed in bucket 'renders' on http://127\\.0\\.0\\.1:\\d+ under"
                + " renders/, per job: video\\.mp4(, poster\\.png)?(, last_frame\\.png)?");
    assertThat(lines.get(lines.size() - 2))
        .matches("demo: 4 jobs ended in \\d+\\.\\d s: 4 completed, 0 failed, 0 lost");
    assertThat(lines).last().isEqualTo("demo: 4/4 jobs completed");
    assertThat(errText)
        .contains(
            "demo [####################] 4/4 done | submitted 4  polling 0  completed 4  failed 0")
        .contains("demo: stopped in");

    assertThat(strayNonDaemonThreads(before)).as("non-daemon threads left running").isEmpty();
  }

  /** Issue 14: {@code scripts/demo --jobs 12 --budget 0.50}, the budget guard's line, exit 0. */
  @Test
  void aBudgetPaysOnlyTheJobsThatFitAndHoldsTheRest() throws Exception {
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int code =
        DemoMain.commandLine(
                new DemoMain(
                    new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                    new PrintStream(errBytes, true, StandardCharsets.UTF_8),
                    Optional.empty(),
                    Clock.systemUTC()))
            .execute("--jobs", "12", "--budget", "0.50", "--time-scale", "0.005");

    List<String> lines = outBytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(code)
        .as("exit code; stdout:%n%s%nstderr:%n%s", lines, errBytes.toString(StandardCharsets.UTF_8))
        .isZero();
    String budget = lines.get(lines.size() - 2);
    var m =
        java.util.regex.Pattern.compile(
                "demo: budget 0\\.50 reached: (\\d+) jobs paid, (\\d+) held by the budget guard,"
                    + " spent (\\d+\\.\\d+)")
            .matcher(budget);
    assertThat(m.matches()).as(budget).isTrue();
    int paid = Integer.parseInt(m.group(1));
    int held = Integer.parseInt(m.group(2));
    assertThat(paid).isEqualTo(5);
    assertThat(held).isEqualTo(7);
    assertThat(new java.math.BigDecimal(m.group(3))).isEqualByComparingTo("0.50");
    assertThat(lines.stream().filter(l -> l.contains(" HELD ")).count()).isEqualTo(held);
    assertThat(lines).last().isEqualTo("demo: 5/12 jobs completed");
  }

  /** Non-daemon threads started by the demo that are still alive a few seconds after it ended. */
  private static List<String> strayNonDaemonThreads(Set<Thread> before)
      throws InterruptedException {
    List<String> stray = List.of();
    for (int i = 0; i < 50; i++) {
      stray =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
              .map(Thread::getName)
              .toList();
      if (stray.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    return stray;
  }
}
