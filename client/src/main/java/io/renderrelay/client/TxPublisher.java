package io.renderrelay.client;

import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;

/**
 * Sends commands inside one Kafka transaction opened by {@link
 * RenderCommandPublisher#inTransaction(java.util.function.Consumer)}. Valid only inside that call;
 * the futures complete when the transaction commits. A {@link
 * io.renderrelay.client.validation.ValidationException} thrown here aborts the whole transaction
 * when it leaves the callback.
 */
public interface TxPublisher {

  /** Validates and sends a restyle command in this transaction. */
  CompletableFuture<Submitted> submitRestyle(RestyleRequest request);

  /** Validates and sends an act-one command in this transaction. */
  CompletableFuture<Submitted> submitActOne(ActOneRequest request);

  /** Validates and sends a ready-made command record in this transaction. */
  CompletableFuture<Submitted> publish(SpecificRecord command);
}
