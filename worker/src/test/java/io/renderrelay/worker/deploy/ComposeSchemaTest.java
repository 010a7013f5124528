package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml against the Compose Specification's JSON schema (deploy/schemas/, origin in
 * its README), validated with networknt json-schema-validator: what {@code docker compose config}
 * would refuse fails here, where no Docker engine runs.
 */
class ComposeSchemaTest {
  static final String COMPOSE_SCHEMA = "deploy/schemas/compose-spec.json";

  /**
   * Draft 2019-09, as the schema declares, plus its draft-04 style {@code id} members (kept from
   * older versions of the schema) as annotations: the validator would otherwise refuse the schema.
   */
  private static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(
              Dialect.builder(Dialects.getDraft201909())
                  .keyword(new NonValidationKeyword("id"))
                  .build())
          .getSchema(DeployFiles.json(COMPOSE_SCHEMA));

  @Test
  void composeFileFollowsTheComposeSpecification() {
    JsonNode compose = DeployFiles.yaml(DeployFiles.COMPOSE);
    assertThat(messages(compose)).as("docker-compose.yml against %s", COMPOSE_SCHEMA).isEmpty();
  }

  @Test
  void theSchemaRefusesBrokenComposeFiles() {
    ObjectNode typo = compose();
    ((ObjectNode) typo.at("/services/worker"))
        .set("enviroment", typo.at("/services/worker/environment"));
    assertThat(messages(typo)).anyMatch(m -> m.contains("enviroment"));

    ObjectNode condition = compose();
    ((ObjectNode) condition.at("/services/worker/depends_on/kafka")).put("condition", "healthy");
    assertThat(messages(condition)).isNotEmpty();

    ObjectNode volume = compose();
    ((ObjectNode) volume.at("/services/kafka")).put("volumes", "kafka-data:/data");
    assertThat(messages(volume)).anyMatch(m -> m.contains("volumes"));
  }

  private static List<String> messages(JsonNode compose) {
    return SCHEMA.validate(compose).stream().map(Error::toString).toList();
  }

  private static ObjectNode compose() {
    return (ObjectNode) DeployFiles.yaml(DeployFiles.COMPOSE);
  }
}
