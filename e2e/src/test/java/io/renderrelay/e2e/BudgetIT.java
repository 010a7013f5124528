package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.devstack.simulator.SimulatorControl;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.spend.Periods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14: three workers share one daily cap through the spend journal. They overspend it by at
 * most one task per other replica; the commands over the cap wait unpaid (no event, no ledger
 * intent) while the cap holds, and run once it is raised (a restart with the new cap); nothing is
 * lost or paid twice.
 */
@Timeout(240)
class BudgetIT {

  private static final int JOBS = 15;
  private static final int REPLICAS = 3;
  private static final long PRICE_CENTS = 10;
  private static final long CAP_CENTS = 50;

  @RegisterExtension
  static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(1)).perTest();

  private SimulatorControl sim;
  private EventCollector events;
  private final List<RenderRelayWorker> workers = new ArrayList<>();

  @BeforeEach
  void start() {
    sim = e2e.sim();
    events = e2e.events();
  }

  private void startWorkers(String cap) throws Exception {
    for (int i = 1; i <= REPLICAS; i++) {
      WorkerSettings s =
          e2e.settings("budget-" + i)
              .with("spend.enabled", "true")
              .with("spend.prices", "restyle=0.10,act-one=0.10")
              .with("spend.global-cap", cap)
              .with("spend.tenant-caps", "acme=100/month");
      workers.add(e2e.worker(s));
    }
  }

  private void stopWorkers() throws Exception {
    for (RenderRelayWorker w : workers) {
      w.close();
    }
    workers.clear();
  }

  @Test
  void threeWorkersHoldACapFleetWideAndHeldCommandsRunOnceItIsRaised() throws Exception {
    startWorkers("0.50/day");
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      String id = "budget-" + UUID.randomUUID();
      RestyleCommand c = Commands.restyle(id, Instant.now());
      c.setMetadata(Map.of("origin", "e2e", "tenant", "acme"));
      e2e.commands().send(c);
      jobs.add(id);
    }

    int paid = awaitPaidJobsSettled(jobs, Duration.ofSeconds(90));
    long maxPaid = CAP_CENTS / PRICE_CENTS + (REPLICAS - 1);
    assertThat(paid)
        .as(
            "paid tasks under a cap of 5 tasks; journal %s; scrape %s",
            journal(),
            workers.get(0).metrics().scrape().lines().filter(l -> l.contains("budget")).toList())
        .isBetween(5, (int) maxPaid);
    assertThat(sim.paidSubmissions().values()).containsOnly(1);
    int held = JOBS - paid;
    assertThat(held).isPositive();
    System.out.printf(
        "BudgetIT: cap 0.50/day, %d workers, %d jobs: %d paid (spent %s), %d held%n",
        REPLICAS, JOBS, paid, cents(paid * PRICE_CENTS), held);
    assertThat(events.terminalCount(jobs)).as("held jobs have no event").isEqualTo(paid);
    String scrape = workers.get(0).metrics().scrape();
    assertThat(gauge(scrape, "render_relay_budget_used_ratio\\{scope=\"global\"\\}"))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(gauge(scrape, "render_relay_budget_used_ratio\\{scope=\"acme\"\\}"))
        .isLessThan(0.01);
    double heldGauge = 0;
    for (RenderRelayWorker w : workers) {
      heldGauge += gauge(w.metrics().scrape(), "render_relay_budget_held_jobs");
    }
    assertThat(heldGauge).as("jobs held across the fleet").isGreaterThanOrEqualTo(held);

    String report =
        cli(
            "spend",
            "--period",
            Periods.day(Instant.now()),
            "--tenant",
            "acme",
            "--spend-topic",
            e2e.topic("render.spend"));
    assertThat(report)
        .containsPattern("acme\\s+restyle\\s+" + Pattern.quote(cents(paid * PRICE_CENTS)))
        .containsPattern("total\\s+" + Pattern.quote(cents(paid * PRICE_CENTS)) + " USD");

    stopWorkers();
    startWorkers("5.00/day"); // the cap is raised: a restart with the new value
    assertThat(events.awaitTerminal(jobs, Duration.ofSeconds(90))).isEqualTo(JOBS);
    for (String id : jobs) {
      assertThat(events.eventsOf(id)).singleElement().isInstanceOf(RenderCompleted.class);
      assertThat(((RenderCompleted) events.eventsOf(id).get(0)).getEstimatedCostMicros())
          .isEqualTo(100_000L);
    }
    assertThat(sim.paidSubmissions()).hasSize(JOBS);
    assertThat(sim.paidSubmissions().values()).as("nothing paid twice").containsOnly(1);
    assertThat(events.duplicated()).isEmpty();
  }

  /** Waits until the paid jobs have all ended and no new one is paid for a while. */
  private int awaitPaidJobsSettled(List<String> jobs, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int stableRounds = 0;
    int last = -1;
    while (System.nanoTime() < deadline) {
      int paid = (int) jobs.stream().filter(sim.paidSubmissions()::containsKey).count();
      boolean ended = paid > 0 && events.terminalCount(jobs) == paid;
      stableRounds = ended && paid == last ? stableRounds + 1 : 0;
      last = paid;
      if (stableRounds >= 6) {
        return paid;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("paid jobs did not settle within " + timeout + " (last " + last + ")");
  }

  /** The spend journal's entries (read_committed), for failure messages. */
  private List<String> journal() {
    java.util.Properties p = new java.util.Properties();
    p.put("bootstrap.servers", e2e.stack().kafka().bootstrapServers());
    p.put("isolation.level", "read_committed");
    p.put("auto.offset.reset", "earliest");
    var codec =
        io.renderrelay.worker.ledger.InternalCodec.spendEntries(
            io.renderrelay.avro.ReleasedSchemas.load());
    List<String> out = new ArrayList<>();
    try (var c =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            p,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var tps =
          c.partitionsFor(e2e.topic("render.spend")).stream()
              .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      for (int i = 0; i < 10; i++) {
        c.poll(Duration.ofMillis(300))
            .forEach(
                r -> {
                  var e = codec.decode(r.value());
                  out.add(r.partition() + ":" + e.getKind() + ":" + e.getId() + ":" + e.getDay());
                });
      }
    }
    return out;
  }

  private String cli(String... args) {
    CliRun run = CliRun.run(e2e.cliEnvironment(), args);
    assertThat(run.exit()).as("spend CLI: " + run.err()).isZero();
    return run.out();
  }

  private static String cents(long cents) {
    return String.format("%d.%02d", cents / 100, cents % 100);
  }

  private static double gauge(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(scrape);
    assertThat(m.find()).as(series + " in the scrape").isTrue();
    return Double.parseDouble(m.group(1));
  }
}
