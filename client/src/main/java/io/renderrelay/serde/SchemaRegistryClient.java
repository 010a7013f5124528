package io.renderrelay.serde;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry REST API the serde needs. Implementations cache
 * answers, so repeated calls with the same arguments do not reach the registry again.
 *
 * <p>All methods throw {@link SerdeException} subtypes: {@link RegistryUnavailableException} when
 * the registry cannot be reached, {@link SchemaRegistrationException} when it refuses the request,
 * {@link UnknownSchemaIdException} for an unknown id.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers the schema under the subject (POST /subjects/{s}/versions) and returns its id. */
  int register(String subject, Schema schema);

  /** Looks up the id of an already registered schema (POST /subjects/{s}). */
  int getId(String subject, Schema schema);

  /** Returns the schema with the given global id (GET /schemas/ids/{id}). */
  Schema getSchemaById(int id);

  /**
   * Tests the schema against the latest version of the subject under the subject's compatibility
   * level (POST /compatibility/subjects/{s}/versions/latest). A subject without versions accepts
   * any schema.
   */
  boolean testCompatibility(String subject, Schema schema);

  /** Lists the registered subjects (GET /subjects). */
  List<String> subjects();

  @Override
  void close();
}
