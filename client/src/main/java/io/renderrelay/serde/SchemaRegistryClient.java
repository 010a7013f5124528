package io.renderrelay.serde;

import java.util.List;
import org.apache.avro.Schema;

/** TEMP stand-in (the serde helper writes the real one). */
public interface SchemaRegistryClient extends AutoCloseable {
  int register(String subject, Schema schema);

  int getId(String subject, Schema schema);

  Schema getSchemaById(int id);

  boolean testCompatibility(String subject, Schema schema);

  List<String> subjects();

  @Override
  void close();
}
