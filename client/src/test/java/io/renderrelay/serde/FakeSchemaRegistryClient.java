package io.renderrelay.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/** In-memory registry for unit tests: ids by schema JSON, call counters, injectable failures. */
final class FakeSchemaRegistryClient implements SchemaRegistryClient {

  final AtomicInteger registerCalls = new AtomicInteger();
  final AtomicInteger getIdCalls = new AtomicInteger();
  final AtomicInteger getByIdCalls = new AtomicInteger();
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<Schema> byId = new ArrayList<>();
  private final Map<String, List<Integer>> subjects = new TreeMap<>();
  private volatile Supplier<RuntimeException> failure;

  /** Every following call throws the supplied exception (null: stop failing). */
  void failWith(Supplier<RuntimeException> failure) {
    this.failure = failure;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    registerCalls.incrementAndGet();
    maybeFail();
    int id =
        ids.computeIfAbsent(
            schema.toString(),
            s -> {
              byId.add(schema);
              return byId.size();
            });
    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  @Override
  public synchronized int getId(String subject, Schema schema) {
    getIdCalls.incrementAndGet();
    maybeFail();
    Integer id = ids.get(schema.toString());
    if (id == null || !subjects.getOrDefault(subject, List.of()).contains(id)) {
      throw new SchemaRegistrationException("Schema not found under " + subject, 404, 40403);
    }
    return id;
  }

  @Override
  public synchronized Schema getSchemaById(int id) {
    getByIdCalls.incrementAndGet();
    maybeFail();
    if (id < 1 || id > byId.size()) {
      throw new UnknownSchemaIdException(id, "Schema " + id + " not found");
    }
    return byId.get(id - 1);
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    return true;
  }

  @Override
  public synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  @Override
  public void close() {}

  private void maybeFail() {
    Supplier<RuntimeException> f = failure;
    if (f != null) {
      throw f.get();
    }
  }
}
