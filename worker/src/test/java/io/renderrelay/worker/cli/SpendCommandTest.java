package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.avro.SpendEntry;
import io.renderrelay.avro.SpendKind;
import io.renderrelay.worker.ledger.InternalCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@code render-relay spend}: the journal's reservations minus refunds, by tenant and type. */
class SpendCommandTest {

  private static final String TOPIC = "render.spend";
  private final FakeCli cli = new FakeCli();
  private final InternalCodec<SpendEntry> codec =
      InternalCodec.spendEntries(ReleasedSchemas.load());
  private final List<SpendEntry> journal = new ArrayList<>();

  private void entry(
      String id, SpendKind kind, String tenant, JobType type, long micros, String day) {
    journal.add(
        SpendEntry.newBuilder()
            .setId(id)
            .setJobId(id.substring(0, id.indexOf('#')))
            .setKind(kind)
            .setTenant(tenant)
            .setJobType(type)
            .setCostMicros(micros)
            .setCurrency("USD")
            .setDay(day)
            .setMonth(day.substring(0, 7))
            .setAt(Instant.parse(day + "T10:00:00Z"))
            .setWriter("w-1")
            .build());
  }

  private void load() {
    TopicPartition tp = new TopicPartition(TOPIC, 0);
    MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest");
    c.updatePartitions(
        TOPIC, List.of(new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0])));
    c.updateBeginningOffsets(Map.of(tp, 0L));
    c.updateEndOffsets(Map.of(tp, (long) journal.size()));
    c.schedulePollTask(
        () -> {
          for (int i = 0; i < journal.size(); i++) {
            SpendEntry e = journal.get(i);
            c.addRecord(
                new ConsumerRecord<>(
                    TOPIC, 0, i, e.getTenant().getBytes(StandardCharsets.UTF_8), codec.encode(e)));
          }
        });
    cli.consumer = c;
  }

  @Test
  void reportsAMonthPerTenantAndTypeWithRefundsTakenBack() {
    entry("a-1#1", SpendKind.RESERVED, "acme", JobType.RESTYLE, 250_000, "2026-11-24");
    entry("a-2#1", SpendKind.RESERVED, "acme", JobType.RESTYLE, 250_000, "2026-11-25");
    entry("a-2#1", SpendKind.REFUNDED, "acme", JobType.RESTYLE, 250_000, "2026-11-25");
    entry("a-3#1", SpendKind.RESERVED, "acme", JobType.ACT_ONE, 100_000, "2026-11-25");
    entry("a-3#1", SpendKind.RELEASED, "acme", JobType.ACT_ONE, 0, "2026-11-25");
    entry("g-1#1", SpendKind.RESERVED, "globex", JobType.RESTYLE, 1_000_000, "2026-11-25");
    entry("o-1#1", SpendKind.RESERVED, "acme", JobType.RESTYLE, 9_000_000, "2026-10-31");
    load();

    assertThat(cli.run("spend")).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("spend in 2026-11 from render.spend")
        .containsPattern("acme\\s+act-one\\s+0\\.10")
        .containsPattern("acme\\s+restyle\\s+0\\.25")
        .containsPattern("globex\\s+restyle\\s+1\\.00")
        .containsPattern("total\\s+1\\.35 USD");
  }

  @Test
  void aTenantAndADay() {
    entry("a-1#1", SpendKind.RESERVED, "acme", JobType.RESTYLE, 250_000, "2026-11-24");
    entry("a-2#1", SpendKind.RESERVED, "acme", JobType.RESTYLE, 250_000, "2026-11-25");
    entry("g-1#1", SpendKind.RESERVED, "globex", JobType.RESTYLE, 1_000_000, "2026-11-25");
    load();

    assertThat(cli.run("spend", "--tenant", "acme", "--period", "2026-11-25")).isZero();
    assertThat(cli.out()).doesNotContain("globex").containsPattern("total\\s+0\\.25 USD");
  }

  @Test
  void aPeriodThatIsNoDateIsAUsageErrorNotAnEmptyReport() {
    entry("a-1#1", SpendKind.RESERVED, "acme", JobType.RESTYLE, 250_000, "2026-12-01");
    load();
    for (String bad : new String[] {"2026-13", "2026-00", "2026-02-30", "2026-12-32"}) {
      assertThat(cli.run("spend", "--period", bad)).as(bad).isEqualTo(2);
      assertThat(cli.err()).contains("--period must be a month (2026-12) or a day (2026-12-06)");
    }
  }

  @Test
  void readTimeoutIsTheSharedDurationOption() {
    assertThat(cli.run("spend", "--read-timeout", "soon")).isEqualTo(2);
    assertThat(cli.err()).contains("--read-timeout");
    entry("a-1#1", SpendKind.RESERVED, "acme", JobType.RESTYLE, 250_000, "2026-11-25");
    load();
    assertThat(cli.run("spend", "--period", "2026-11-25", "--read-timeout", "5s"))
        .as(cli.err())
        .isZero();
    assertThat(cli.out()).containsPattern("total\\s+0\\.25 USD");
  }

  @Test
  void aMalformedPeriodIsAUsageError() {
    assertThat(cli.run("spend", "--period", "December")).isEqualTo(2);
    assertThat(cli.err()).contains("--period must be a month (2026-12) or a day (2026-12-06)");
  }
}
