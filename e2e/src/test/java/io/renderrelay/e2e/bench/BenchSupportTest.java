package io.renderrelay.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSupportTest {

  @Test
  void theLiveHeapIsTheClassHistogramsTotal() {
    List<String> out =
        List.of(
            "2934:",
            " num     #instances         #bytes  class name (module)",
            "-------------------------------------------------------",
            "   1:        317230       49166776  [B (java.base@25.0.3)",
            "   2:           992        8928552  [Ljdk.internal.vm.FillerElement; (java.base@25)",
            "4608:             1             16  sun.util.resources.cldr.Meta (jdk.localedata@25)",
            "Total       1542083       98655280");
    // the JVM's filler objects are unused heap, not live objects
    assertThat(Jcmd.histogramTotal(out)).isEqualTo(98_655_280L - 8_928_552L);
    assertThatThrownBy(() -> Jcmd.histogramTotal(List.of("17000:", "no such process")))
        .hasMessageContaining("no Total line");
  }

  // review rv6b: results.json said "render-relay first in even rounds, the bare relay in odd" while
  // the loop ran render-relay first in rounds 1 and 3 (as docs/benchmarks.md says); the results now
  // say what the loop does, from the same rule.
  @Test
  void theThroughputResultsNameTheOrderTheRoundsRan() {
    assertThat(ThroughputBench.renderRelayFirst(1)).isTrue();
    assertThat(ThroughputBench.renderRelayFirst(2)).isFalse();
    assertThat(ThroughputBench.renderRelayFirst(3)).isTrue();
    assertThat(ThroughputBench.order(ThroughputBench.ROUNDS))
        .isEqualTo(
            "render-relay first in rounds [1, 3], the bare relay first in rounds [2];"
                + " round 0, uncounted: render-relay first");
  }

  @Test
  void latenessQuantilesAreNearestRank() {
    LatenessRecorder r = new LatenessRecorder();
    for (int i = 1; i <= 100; i++) {
      r.pollLateness(i % 2 == 0 ? "render.poll.5s" : "render.poll.now", Duration.ofMillis(i));
    }
    r.pollLateness("render.poll.5s", Duration.ofMillis(-3));
    long[] tiers = r.sorted("render.poll.5s"::equals);
    assertThat(tiers).hasSize(51).startsWith(0, 2, 4);
    assertThat(LatenessRecorder.quantile(tiers, 0.5)).isEqualTo(50);
    assertThat(LatenessRecorder.quantile(tiers, 0.9)).isEqualTo(90);
    assertThat(LatenessRecorder.quantile(tiers, 0.99)).isEqualTo(100);
    assertThat(LatenessRecorder.quantile(new long[0], 0.99)).isEqualTo(-1);
    assertThat(LatenessRecorder.summary(tiers))
        .containsEntry("maxMs", 100L)
        .containsEntry("count", 51);
  }

  @Test
  void generatedSectionIsReplacedAndTheRestKept() {
    String md = "# B\nintro\n" + DocsWriter.BEGIN + "\nold table\n" + DocsWriter.END + "\ntail\n";
    String out = DocsWriter.replaceSection(md, "new table\n");
    assertThat(out)
        .isEqualTo(
            "# B\nintro\n" + DocsWriter.BEGIN + "\nnew table\n" + DocsWriter.END + "\ntail\n");
    assertThat(DocsWriter.replaceSection(out, "again\n"))
        .contains("again")
        .doesNotContain("new table");
    assertThatThrownBy(() -> DocsWriter.replaceSection("# no markers", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tableMarksMissedTargetsAndReportOnlyFigures() {
    BenchResult met =
        new BenchResult(
            "copy",
            120.4,
            "MB/s",
            new BenchResult.Reference("file", 130, "MB/s"),
            0.927,
            "ratio >= 0.9",
            true,
            Map.of(),
            Map.of());
    BenchResult missed =
        new BenchResult(
            "throughput", 43.5, "jobs/s", null, 0.017, "ratio >= 0.25", false, Map.of(), Map.of());
    BenchResult report =
        new BenchResult(
            "startup-worker", 11, "s", null, Double.NaN, "report only", null, Map.of(), Map.of());
    String table =
        DocsWriter.table(
            true, java.time.Instant.EPOCH, List.of(met, missed, report), List.of("x: boom"));
    assertThat(table)
        .contains("**Quick run**")
        .contains("| copy | 120 MB/s | file: 130 MB/s | 0.927 | ratio >= 0.9 | yes |")
        .contains("| throughput | 43.5 jobs/s | - | 0.017 | ratio >= 0.25 | **no** |")
        .contains("| startup-worker | 11.0 s | - | n/a | report only | - |")
        .contains("Failed in this run: x: boom");
    assertThat(met.line()).isEqualTo("bench: copy 120 MB/s ratio=0.927");
  }

  @Test
  void resultsFileNamesTheJdkAndCoresOfEveryFigure(@TempDir Path dir) throws Exception {
    BenchResult result =
        new BenchResult(
            "copy", 1.5, "MB/s", null, Double.NaN, "report only", null, Map.of("a", 1), Map.of());
    Path file = dir.resolve("results.json");
    new ResultsWriter(file).write(true, java.time.Instant.EPOCH, List.of(result), List.of());
    JsonNode written = new ObjectMapper().readTree(file.toFile()).get("benchmarks").get(0);
    assertThat(written.get("name").asText()).isEqualTo("copy");
    assertThat(written.get("parameters").get("a").asInt()).isEqualTo(1);
    assertThat(written.get("jdk").asText()).contains(System.getProperty("java.runtime.version"));
    assertThat(written.get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void providerTiersAreTheDefaultsScaled() {
    assertThat(ProviderCallsBench.scaledTiers(0.05))
        .isEqualTo(
            "render.poll.500ms:500ms:6,render.poll.1500ms:1500ms:20,render.poll.6000ms:6000ms:0");
  }

  @Test
  void threadNamesAreGroupedWithoutNumbers() {
    assertThat(Profile.threadGroup("kafka-producer-network-thread | rr-tx-12"))
        .isEqualTo("kafka-producer-network-thread");
    assertThat(Profile.threadGroup("S3Proxy-Jetty-42")).isEqualTo("S#Proxy-Jetty-#");
  }
}
