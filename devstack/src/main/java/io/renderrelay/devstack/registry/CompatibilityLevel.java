package io.renderrelay.devstack.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** Confluent compatibility levels, checked with Avro's {@link SchemaCompatibility}. */
enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** Parses a level name, case-insensitively. */
  static CompatibilityLevel parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw RegistryException.invalidCompatibility(s);
    }
  }

  /**
   * Returns the incompatibilities of {@code candidate} against the existing versions (oldest
   * first); empty when compatible. Non-transitive levels check the latest version only.
   */
  List<String> check(Schema candidate, List<Schema> existing) {
    List<String> problems = new ArrayList<>();
    if (existing.isEmpty() || this == NONE) {
      return problems;
    }
    List<Schema> against = transitive ? existing : List.of(existing.getLast());
    for (Schema previous : against) {
      if (backward) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous),
            "new schema cannot read data written with an existing version",
            problems);
      }
      if (forward) {
        describe(
            SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate),
            "an existing version cannot read data written with the new schema",
            problems);
      }
    }
    return problems;
  }

  private static void describe(SchemaPairCompatibility result, String what, List<String> out) {
    if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    result
        .getResult()
        .getIncompatibilities()
        .forEach(
            i ->
                out.add(
                    what
                        + ": "
                        + i.getType()
                        + " at "
                        + i.getLocation()
                        + " ("
                        + i.getMessage()
                        + ")"));
    if (result.getResult().getIncompatibilities().isEmpty()) {
      out.add(what + ": " + result.getDescription());
    }
  }
}
