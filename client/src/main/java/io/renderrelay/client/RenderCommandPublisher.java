package io.renderrelay.client;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.client.validation.CommandValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends render commands to render-relay. Every command is validated with the worker's own {@link
 * CommandValidator} before anything is sent (an invalid command throws {@link
 * io.renderrelay.client.validation.ValidationException} and sends nothing); the record key is the
 * job id. The producer is idempotent; with a transactional id every send runs in a transaction (one
 * per call, or several in {@link #inTransaction(Consumer)}). Sending the same job id twice is safe:
 * the worker deduplicates by job id. Thread-safe. Build it with {@link
 * RenderClients#publisher(PublisherConfig)}.
 */
public final class RenderCommandPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RenderCommandPublisher.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final Producer<String, SpecificRecord> producer;
  private final PublisherConfig config;
  private final CommandValidator validator;
  private final RequestCommands commands;
  private final AutoCloseable resources;
  private final boolean transactional;
  private final ReentrantLock txLock = new ReentrantLock();
  private volatile String unusable;
  private volatile boolean closed;

  /**
   * Creates a publisher over a ready producer (custom wiring and tests; the factory is {@link
   * RenderClients#publisher(PublisherConfig)}). With a transactional id in the config it calls
   * {@code initTransactions()} on the producer.
   *
   * @param producer producer with a String key serializer and an Avro value serializer
   * @param config topics, transactional id and validation rules
   * @param clock source of {@code requestedAt}
   * @param jobIds generates job ids for requests without one
   * @param resources closed after the producer (e.g. the registry client)
   */
  public RenderCommandPublisher(
      Producer<String, SpecificRecord> producer,
      PublisherConfig config,
      Clock clock,
      Supplier<String> jobIds,
      AutoCloseable resources) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.config = Objects.requireNonNull(config, "config");
    this.commands =
        new RequestCommands(
            Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(jobIds, "jobIds"));
    this.resources = Objects.requireNonNull(resources, "resources");
    this.validator = new CommandValidator(config.validationRules(), clock);
    this.transactional = config.transactionalId().isPresent();
    if (transactional) {
      producer.initTransactions();
    }
  }

  /**
   * Validates and sends a restyle command.
   *
   * @return completes with the job id and position once the broker acknowledged (committed)
   * @throws io.renderrelay.client.validation.ValidationException when the command is invalid;
   *     nothing is sent
   */
  public CompletableFuture<Submitted> submitRestyle(RestyleRequest request) {
    return publish(commands.restyle(request));
  }

  /**
   * Validates and sends an act-one command.
   *
   * @return completes with the job id and position once the broker acknowledged (committed)
   * @throws io.renderrelay.client.validation.ValidationException when the command is invalid;
   *     nothing is sent
   */
  public CompletableFuture<Submitted> submitActOne(ActOneRequest request) {
    return publish(commands.actOne(request));
  }

  /**
   * Validates and sends a ready-made {@code RestyleCommand} or {@code ActOneCommand} (e.g. one
   * replayed from elsewhere) to its topic, keyed by its job id.
   *
   * @throws IllegalArgumentException when the record is not a command
   * @throws io.renderrelay.client.validation.ValidationException when the command is invalid
   */
  public CompletableFuture<Submitted> publish(SpecificRecord command) {
    ensureUsable();
    validator.requireValid(command);
    if (!transactional) {
      return send(command);
    }
    try {
      return CompletableFuture.completedFuture(inTransaction(tx -> tx.publish(command)).get(0));
    } catch (KafkaException | IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Runs {@code work} in one Kafka transaction: everything it sends is committed together, or
   * nothing is (when {@code work} throws, the transaction is aborted and the exception rethrown).
   *
   * @return the committed commands, in sending order
   * @throws IllegalStateException when the publisher has no transactional id, is closed, or was
   *     fenced by another instance with the same transactional id
   */
  public List<Submitted> inTransaction(Consumer<TxPublisher> work) {
    if (!transactional) {
      throw new IllegalStateException(
          "inTransaction needs a transactional publisher (PublisherConfig transactionalId)");
    }
    txLock.lock();
    try {
      ensureUsable();
      return runTransaction(work);
    } finally {
      txLock.unlock();
    }
  }

  private List<Submitted> runTransaction(Consumer<TxPublisher> work) {
    List<CompletableFuture<Submitted>> futures = new ArrayList<>();
    Tx tx = new Tx(futures);
    try {
      producer.beginTransaction();
      work.accept(tx);
      tx.open = false;
      producer.commitTransaction();
    } catch (ProducerFencedException
        | OutOfOrderSequenceException
        | AuthorizationException
        | UnsupportedVersionException e) {
      tx.open = false;
      unusable = e.getClass().getSimpleName() + ": " + e.getMessage();
      log.error("render command producer can no longer send (close this publisher): {}", unusable);
      throw new IllegalStateException("transactional producer failed fatally: " + unusable, e);
    } catch (RuntimeException e) {
      tx.open = false;
      abortQuietly(e);
      throw e;
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private void abortQuietly(RuntimeException cause) {
    try {
      producer.abortTransaction();
    } catch (KafkaException abortFailure) {
      cause.addSuppressed(abortFailure);
    }
  }

  private CompletableFuture<Submitted> send(SpecificRecord command) {
    String topic;
    String jobId;
    switch (command) {
      case RestyleCommand r -> {
        topic = config.restyleTopic();
        jobId = r.getJobId();
      }
      case ActOneCommand a -> {
        topic = config.actOneTopic();
        jobId = a.getJobId();
      }
      default ->
          throw new IllegalArgumentException(
              "not a render command: " + command.getSchema().getFullName());
    }
    CompletableFuture<Submitted> result = new CompletableFuture<>();
    try {
      producer.send(
          new ProducerRecord<>(topic, jobId, command),
          (md, e) -> {
            if (e != null) {
              result.completeExceptionally(
                  new KafkaException("sending job " + jobId + " to " + topic + " failed", e));
            } else {
              result.complete(new Submitted(jobId, md.topic(), md.partition(), md.offset()));
            }
          });
    } catch (KafkaException e) {
      if (transactional) {
        throw e;
      }
      result.completeExceptionally(e);
    }
    return result;
  }

  private void ensureUsable() {
    if (closed) {
      throw new IllegalStateException("publisher is closed");
    }
    if (unusable != null) {
      throw new IllegalStateException("publisher failed fatally, build a new one: " + unusable);
    }
  }

  /** Flushes and closes the producer (waiting up to 30 s), then the registry client. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      producer.close(CLOSE_TIMEOUT);
    } finally {
      try {
        resources.close();
      } catch (Exception e) {
        log.warn("closing the publisher's resources failed: {}", e.toString());
      }
    }
  }

  /** The transaction-scoped sender handed to {@link #inTransaction(Consumer)} callbacks. */
  private final class Tx implements TxPublisher {
    private final List<CompletableFuture<Submitted>> futures;
    private volatile boolean open = true;

    Tx(List<CompletableFuture<Submitted>> futures) {
      this.futures = futures;
    }

    @Override
    public CompletableFuture<Submitted> submitRestyle(RestyleRequest request) {
      return publish(commands.restyle(request));
    }

    @Override
    public CompletableFuture<Submitted> submitActOne(ActOneRequest request) {
      return publish(commands.actOne(request));
    }

    @Override
    public CompletableFuture<Submitted> publish(SpecificRecord command) {
      if (!open) {
        throw new IllegalStateException("this TxPublisher is only valid inside inTransaction");
      }
      validator.requireValid(command);
      CompletableFuture<Submitted> f = send(command);
      futures.add(f);
      return f;
    }
  }
}
