package io.renderrelay.devstack.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class RegistryStoreTest {

  private final RegistryStore store = new RegistryStore();

  private static String v1() {
    return SchemaBuilder.record("R")
        .namespace("t")
        .fields()
        .requiredString("a")
        .endRecord()
        .toString();
  }

  private static String v2WithDefault() {
    return SchemaBuilder.record("R")
        .namespace("t")
        .fields()
        .requiredString("a")
        .name("b")
        .type()
        .intType()
        .intDefault(0)
        .endRecord()
        .toString();
  }

  private static String v3Required() {
    return SchemaBuilder.record("R")
        .namespace("t")
        .fields()
        .requiredString("a")
        .requiredInt("b")
        .endRecord()
        .toString();
  }

  private static String onlyB() {
    return SchemaBuilder.record("R")
        .namespace("t")
        .fields()
        .name("b")
        .type()
        .intType()
        .intDefault(0)
        .endRecord()
        .toString();
  }

  @Test
  void identicalSchemaKeepsItsIdAndIdsAreGlobal() {
    int id = store.register("s", v1());
    String reformatted = v1().replace(":", " : ").replace(",", ",\n  ");
    assertThat(store.register("s", reformatted)).isEqualTo(id);
    assertThat(store.register("other", v1())).isEqualTo(id);
    assertThat(store.register("s", v2WithDefault())).isEqualTo(id + 1);
    assertThat(store.versions("s")).containsExactly(1, 2);
    assertThat(store.lookup("s", v1()).version()).isEqualTo(1);
    assertThat(store.subjectsOf(id)).containsExactly("other", "s");
  }

  @Test
  void backwardRejectsANewRequiredField() {
    store.register("s", v1());
    assertThatThrownBy(() -> store.register("s", v3Required()))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(409);
            })
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
        .hasMessageContaining("BACKWARD");
    assertThat(store.versions("s")).containsExactly(1);
  }

  @Test
  void transitiveLevelsCheckEveryVersion() {
    store.register("plain", v1());
    store.register("plain", v2WithDefault());
    assertThat(store.testCompatibility("plain", "latest", v3Required())).isEmpty();

    store.setSubjectLevel("trans", CompatibilityLevel.BACKWARD_TRANSITIVE);
    store.register("trans", v1());
    store.register("trans", v2WithDefault());
    assertThat(store.testCompatibility("trans", "latest", v3Required())).isNotEmpty();
  }

  @Test
  void forwardAndFullCheckTheOtherDirection() {
    store.setGlobalLevel(CompatibilityLevel.FORWARD);
    store.register("f", v2WithDefault());
    // old reader (a, b) cannot read a writer without a: a has no default
    assertThat(store.testCompatibility("f", "latest", onlyB())).isNotEmpty();
    assertThat(store.testCompatibility("f", "latest", v3Required())).isEmpty();

    store.setSubjectLevel("f", CompatibilityLevel.FULL);
    assertThat(store.testCompatibility("f", "latest", v1())).isEmpty();
    store.setSubjectLevel("f", CompatibilityLevel.NONE);
    assertThat(store.testCompatibility("f", "latest", onlyB())).isEmpty();
  }

  @Test
  void errorsCarryConfluentCodes() {
    assertThatThrownBy(() -> store.byId(1)).extracting("errorCode").isEqualTo(40403);
    assertThatThrownBy(() -> store.lookup("x", v1())).extracting("errorCode").isEqualTo(40401);
    store.register("x", v1());
    assertThatThrownBy(() -> store.version("x", "2")).extracting("errorCode").isEqualTo(40402);
    assertThatThrownBy(() -> store.version("x", "two")).extracting("errorCode").isEqualTo(42202);
    assertThatThrownBy(() -> store.register("x", "{\"type\":\"nope\"}"))
        .extracting("errorCode")
        .isEqualTo(42201);
    assertThatThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS"))
        .extracting("errorCode")
        .isEqualTo(42203);
    assertThat(store.deleteSubject("x")).containsExactly(1);
    assertThat(store.subjects()).isEmpty();
  }
}
