package io.renderrelay.worker.engine;

import static io.renderrelay.worker.engine.EngineHarness.COMMANDS;
import static io.renderrelay.worker.engine.EngineHarness.await;
import static io.renderrelay.worker.engine.EngineHarness.out;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The commit half of the loop on the broker-free harness (issue 18 review): what StepCommitter must
 * keep doing exactly as the loop did before the split. The cases the loop tests leave out: a commit
 * interval that is not zero, refusals that do not come in a row, and the order of the commit, the
 * ledger and the continuation.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StepCommitterTest {

  private static final TopicPartition CMD0 = new TopicPartition(COMMANDS, 0);
  private static final TopicPartition CMD1 = new TopicPartition(COMMANDS, 1);
  private static final Duration GRACE = Duration.ofSeconds(3);
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private final EngineHarness h = new EngineHarness();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws InterruptedException {
    h.close();
  }

  /** A router that runs {@code step} for every record and gives nothing up. */
  private static RecordRouter routing(Step step) {
    return new RecordRouter() {
      @Override
      public Step route(ConsumerRecord<byte[], byte[]> record, Lease lease) {
        return step;
      }

      @Override
      public StepResult giveUp(Work work, Throwable error) {
        return StepResult.done();
      }
    };
  }

  /** A first step that notes it ran and writes {@code value} under the record's key. */
  private Step emitting(String value) {
    return () -> {
      ran.add(value);
      return StepResult.builder().record(out("k", value)).done();
    };
  }

  // a stall cut short twice in a row is not a third: only refusals in a row restart the loop
  @Test
  void refusedCommitsRestartTheLoopOnlyWhenTheyComeInARow() {
    AtomicInteger refusals = new AtomicInteger();
    // every second refusal the consumer learns the coordinator's generation
    h.producer.onRefusal =
        () -> {
          if (refusals.incrementAndGet() % 2 == 0) {
            h.consumer.generation = h.producer.coordinatorGeneration;
          }
        };
    h.producer.coordinatorGeneration = 2;
    AtomicInteger n = new AtomicInteger();
    h.start(
        EngineHarness.settings(10, GRACE),
        routing(() -> StepResult.builder().record(out("k", "v" + n.incrementAndGet())).done()),
        CMD0);
    h.add(CMD0, "a", "command", null);
    h.awaitLoop("the first committed", () -> h.producer.committedValues().contains("v1"));
    h.producer.coordinatorGeneration = 3;
    h.add(CMD0, "b", "command", null);
    h.awaitLoop("the second committed", () -> h.producer.committedValues().contains("v2"));
    assertThat(h.producer.failures).hasSize(4);
    assertThat(h.loopError.get()).isNull();
    assertThat(h.loopAlive()).isTrue();
    assertThat(h.producer.committedValues()).containsExactly("v1", "v2");
    assertThat(h.producer.committedOffset(CMD0)).isEqualTo(2);
  }

  // exactly-once: a refused transaction applies no ledger entry and runs no continuation; the
  // batch is kept and, once committed, applied once
  @Test
  void aRefusedCommitKeepsTheBatchAndAppliesItOnlyOnceCommitted() {
    List<String> order = new CopyOnWriteArrayList<>();
    h.producer.onRefusal =
        () -> {
          order.add("refused applied=" + h.ledger.applied.size());
          h.consumer.generation = 2;
        };
    h.producer.onCommit = () -> order.add("commit applied=" + h.ledger.applied.size());
    h.producer.coordinatorGeneration = 2;
    Step paid =
        () -> {
          order.add("continuation applied=" + h.ledger.applied.size());
          return StepResult.builder().record(out("a", "paid")).done();
        };
    h.start(
        EngineHarness.settings(10, GRACE),
        routing(
            () ->
                StepResult.builder()
                    .ledger(new LedgerWrite(0, "a", Optional.empty()), out("a", "intent"))
                    .then(paid, Duration.ZERO)),
        CMD0);
    h.add(CMD0, "a", "command", null);
    h.awaitLoop("the paid step committed", () -> h.producer.committedValues().contains("paid"));
    assertThat(order)
        .containsExactly(
            "refused applied=0", "commit applied=0", "continuation applied=1", "commit applied=1");
    assertThat(h.ledger.applied).containsExactly(new LedgerWrite(0, "a", Optional.empty()));
    assertThat(h.producer.committedValues()).containsExactly("intent", "paid");
  }

  // a commit interval holds commits back; a clock set back (a new broker-clock estimate) while a
  // batch waits does not hold it until the clock catches up
  @Test
  void theCommitIntervalHoldsCommitsBackButAClockSetBackDoesNot() {
    h.start(
        EngineHarness.settings(10, GRACE).withCommitInterval(INTERVAL),
        routing(() -> emitting("v" + (ran.size() + 1)).run()),
        CMD0);
    h.add(CMD0, "a", "command", null);
    await("the first step ran", () -> ran.contains("v1"));
    sleep(100);
    assertThat(h.producer.committed).as("nothing before the interval").isEmpty();
    h.clock.advance(INTERVAL);
    h.awaitLoop("the first committed", () -> h.producer.committedValues().contains("v1"));
    h.add(CMD0, "b", "command", null);
    await("the second step ran", () -> ran.contains("v2"));
    sleep(100);
    assertThat(h.producer.committedValues()).as("held by the interval").doesNotContain("v2");
    // the batch waits for the interval; then the clock is set back an hour
    h.clock.advance(Duration.ofHours(-1));
    h.awaitLoop("committed with the clock set back", () -> h.producer.committedOffset(CMD0) == 2);
    h.add(CMD0, "c", "command", null);
    await("the third step ran", () -> ran.contains("v3"));
    sleep(100);
    assertThat(h.producer.committedValues()).as("interval counted from then").doesNotContain("v3");
    h.clock.advance(INTERVAL);
    h.awaitLoop("the third committed", () -> h.producer.committedOffset(CMD0) == 3);
  }

  // rolling deploy: a SIGTERM commits what finished at once, not at the next commit interval
  @Test
  void shutdownCommitsFinishedStepsBeforeTheIntervalIsDue() throws InterruptedException {
    h.start(
        EngineHarness.settings(10, GRACE).withCommitInterval(Duration.ofHours(1)),
        routing(emitting("done")),
        CMD0);
    h.add(CMD0, "a", "command", null);
    await("the step ran", () -> ran.contains("done"));
    assertThat(h.stop(Duration.ofSeconds(5))).isTrue();
    assertThat(h.loop().drainedInTime()).isTrue();
    assertThat(h.producer.committedValues()).containsExactly("done");
    assertThat(h.producer.committedOffset(CMD0)).isEqualTo(1);
    assertThat(h.producer.committed.get(0).generation()).isEqualTo(1);
  }

  // scale-out: a revoke commits the moving partition's finished steps before it lets it go
  @Test
  void aRevokeCommitsTheMovingPartitionsFinishedStepsBeforeTheIntervalIsDue() {
    h.start(
        EngineHarness.settings(10, GRACE).withCommitInterval(Duration.ofHours(1)),
        routing(emitting("done")),
        CMD0,
        CMD1);
    h.add(CMD0, "a", "command", null);
    await("the step ran", () -> ran.contains("done"));
    h.reassign(CMD1);
    h.awaitLoop("the revoke committed", () -> h.producer.committedOffset(CMD0) == 1);
    assertThat(h.producer.committedValues()).containsExactly("done");
    await("revoked", () -> h.ledger.calls.contains("revoked [0]"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
