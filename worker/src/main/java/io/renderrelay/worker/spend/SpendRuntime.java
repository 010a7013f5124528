package io.renderrelay.worker.spend;

import io.micrometer.core.instrument.MeterRegistry;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.avro.SpendEntry;
import io.renderrelay.worker.config.SpendSettings;
import io.renderrelay.worker.ledger.InternalCodec;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The spend feature as the composition root wires it: the guard, and (when spend is on) the journal
 * reader that feeds it.
 */
public record SpendRuntime(SpendGuard guard, Optional<SpendTail> tail) implements AutoCloseable {

  /** Builds the guard; when spend is on, also starts reading the journal. */
  public static SpendRuntime start(
      SpendSettings settings,
      String instanceId,
      Supplier<Consumer<byte[], byte[]>> consumers,
      ReleasedSchemas releases,
      MeterRegistry registry,
      Clock clock) {
    if (!settings.enabled()) {
      return new SpendRuntime(SpendGuard.off(clock), Optional.empty());
    }
    InternalCodec<SpendEntry> codec = InternalCodec.spendEntries(releases);
    Pricing pricing = new Pricing(settings);
    SpendBook book = new SpendBook();
    SpendMetrics metrics =
        new SpendMetrics(
            registry, new TenantTags(settings.tenantCaps().keySet(), settings.tenantTags()));
    SpendTail[] tail = new SpendTail[1];
    SpendGuard guard =
        new SpendGuard(
            settings,
            pricing,
            book,
            new SpendJournal(settings.topic(), instanceId, codec, pricing),
            () -> tail[0].caughtUp(),
            metrics,
            clock);
    metrics.bind(guard, settings.globalCap().isPresent(), settings.tenantCaps().keySet());
    tail[0] = new SpendTail(consumers, settings.topic(), codec, book, guard::read, clock).start();
    return new SpendRuntime(guard, Optional.of(tail[0]));
  }

  @Override
  public void close() throws InterruptedException {
    if (tail.isPresent()) {
      tail.get().close();
    }
  }
}
