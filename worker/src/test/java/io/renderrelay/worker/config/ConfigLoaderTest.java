package io.renderrelay.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.config.WorkerConfig.PollTier;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String API_KEY = "sk-live-0123456789abcdef";

  @TempDir Path dir;

  private static Map<String, String> minimalEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("RENDER_RELAY_PROVIDER_API_KEY", API_KEY);
    env.put("RENDER_RELAY_PROVIDER_CALLBACK_BASE_URL", "https://relay.example.com/callbacks");
    env.put("RENDER_RELAY_STORAGE_BUCKET", "renders-bucket");
    env.put("RENDER_RELAY_INSTANCE_CALLBACK_SECRET", "cb-secret-0123456789");
    return env;
  }

  private Path props(String content) throws IOException {
    Path file = dir.resolve("worker.properties");
    Files.writeString(file, content);
    return file;
  }

  @Test
  void defaultsApplyWhenOnlyRequiredKeysAreSet() throws Exception {
    WorkerConfig c = ConfigLoader.load(new ConfigSources(Map.of(), minimalEnv(), Optional.empty()));

    assertThat(c.provider().baseUrl()).isEqualTo(URI.create("https://api.cometapi.com"));
    assertThat(c.provider().versionHeader()).contains("2024-11-06");
    assertThat(c.provider().restylePath()).isEqualTo("/runway/pro/video2video");
    assertThat(c.provider().actOnePath()).isEqualTo("/runway/pro/act_one");
    assertThat(c.provider().feedPath()).isEqualTo("/runway/feed");
    assertThat(c.provider().maxResubmits()).isEqualTo(1);
    assertThat(c.provider().taskNotFoundGrace()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.provider().apiKey().reveal()).isEqualTo(API_KEY);
    assertThat(c.jobs().defaultDeadline()).isEqualTo(Duration.ofHours(2));
    assertThat(c.jobs().ambiguousPolicy()).isEqualTo(AmbiguousPolicy.FAIL);
    assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(c.kafka().topics().pollNow()).isEqualTo("render.poll.now");
    assertThat(c.kafka().pollTiers())
        .containsExactly(
            new PollTier("render.poll.10s", Duration.ofSeconds(10), 6),
            new PollTier("render.poll.30s", Duration.ofSeconds(30), 20),
            new PollTier("render.poll.120s", Duration.ofSeconds(120), 0));
    assertThat(c.storage().partSizeBytes()).isEqualTo(8L << 20);
    assertThat(c.storage().secretAccessKey()).isEmpty();
    assertThat(c.http().maxCallbackBytes()).isEqualTo(64 * 1024);
    assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void overridesBeatEnvironmentWhichBeatsPropertiesFile() throws Exception {
    Map<String, String> env = minimalEnv();
    env.put("RENDER_RELAY_PROVIDER_BASE_URL", "https://env.example.com");
    env.put("RENDER_RELAY_HTTP_PORT", "9100");
    Path file =
        props(
            "provider.base-url=https://file.example.com\n"
                + "http.port=9000\n"
                + "jobs.default-deadline=PT3H\n"
                + "storage.part-size=16MiB\n"
                + "kafka.group-id=from-file\n");
    Map<String, String> overrides = Map.of("kafka.group-id", "from-override");

    LoadedConfig loaded =
        ConfigLoader.loadWithSources(new ConfigSources(overrides, env, Optional.of(file)));
    WorkerConfig c = loaded.config();

    assertThat(c.provider().baseUrl()).isEqualTo(URI.create("https://env.example.com"));
    assertThat(c.http().port()).isEqualTo(9100);
    assertThat(c.jobs().defaultDeadline()).isEqualTo(Duration.ofHours(3));
    assertThat(c.storage().partSizeBytes()).isEqualTo(16L << 20);
    assertThat(c.kafka().groupId()).isEqualTo("from-override");
    assertThat(ConfigDump.render(loaded))
        .contains("RENDER_RELAY_PROVIDER_BASE_URL")
        .containsPattern("kafka.group-id\\s+= from-override\\s+# override")
        .containsPattern("storage.part-size\\s+= 16MiB\\s+# properties file");
  }

  @Test
  void everyInvalidKeyIsReportedAtOnce() throws Exception {
    Map<String, String> env = minimalEnv();
    env.remove("RENDER_RELAY_STORAGE_BUCKET");
    env.put("RENDER_RELAY_HTTP_PORT", "70000");
    Path file =
        props(
            "provider.base-url=ftp://x.example.com\njobs.default-deadline=soon\n"
                + "storage.part-size=1MiB\npoll.tiers=\nprovider.max-resubmits=nine\n"
                + "provdier.feed-path=/typo\njobs.ambiguous-policy=maybe\n");

    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.of(file))));

    assertThat(e.problems())
        .extracting(ConfigProblem::key)
        .contains(
            "storage.bucket",
            "http.port",
            "provider.base-url",
            "jobs.default-deadline",
            "storage.part-size",
            "poll.tiers",
            "provider.max-resubmits",
            "provdier.feed-path",
            "jobs.ambiguous-policy");
    assertThat(e.getMessage())
        .startsWith("Invalid configuration (")
        .contains("http.port = '70000': must be between 0 and 65535")
        .contains("storage.bucket: is required")
        .contains("provider.base-url = 'ftp://x.example.com': must be an http or https URL")
        .contains("jobs.default-deadline = 'soon': not a duration")
        .contains("storage.part-size = '1MiB': must be between 5MiB and 5GiB")
        .contains("provdier.feed-path = '/typo': unknown key")
        .contains("jobs.ambiguous-policy = 'maybe': must be one of fail|resubmit");
  }

  @Test
  void aWriteSchemaVersionThatWasNeverReleasedIsAConfigurationError() throws Exception {
    Map<String, String> env = minimalEnv();
    env.put("RENDER_RELAY_LEDGER_WRITE_SCHEMA_VERSION", "0.9.9");

    assertThatThrownBy(() -> ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ledger.write-schema-version = '0.9.9': must be a released version")
        .hasMessageContaining("0.1.0");

    env.put("RENDER_RELAY_LEDGER_WRITE_SCHEMA_VERSION", "0.1.0");
    assertThat(
            ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty()))
                .ledger()
                .writeSchemaVersion())
        .contains("0.1.0");
  }

  @Test
  void secretInPropertiesFileIsRefusedWithoutEchoingIt() throws Exception {
    Path file = props("provider.api-key=sk-in-file-SECRET-value\nstorage.bucket=b-1\n");
    Map<String, String> env = minimalEnv();
    env.remove("RENDER_RELAY_PROVIDER_API_KEY");

    assertThatThrownBy(() -> ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.of(file))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "provider.api-key = '[redacted]': is a secret and may not be given"
                + " in the properties file")
        .hasMessageContaining("RENDER_RELAY_PROVIDER_API_KEY")
        .hasMessageContaining("provider.api-key-file")
        .message()
        .doesNotContain("sk-in-file-SECRET-value");
  }

  @Test
  void secretInOverridesIsRefused() {
    Map<String, String> overrides = Map.of("storage.secret-access-key", "aws-secret-xyz");
    assertThatThrownBy(
            () -> ConfigLoader.load(new ConfigSources(overrides, minimalEnv(), Optional.empty())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage.secret-access-key")
        .hasMessageContaining("is a secret")
        .message()
        .doesNotContain("aws-secret-xyz");
  }

  @Test
  void secretFromFileNamedInPropertiesFile() throws Exception {
    Path secretFile = dir.resolve("api-key");
    Files.writeString(secretFile, "sk-from-file-777\n");
    Map<String, String> env = minimalEnv();
    env.remove("RENDER_RELAY_PROVIDER_API_KEY");
    Path file = props("provider.api-key-file=" + secretFile + "\n");

    LoadedConfig loaded =
        ConfigLoader.loadWithSources(new ConfigSources(Map.of(), env, Optional.of(file)));

    assertThat(loaded.config().provider().apiKey().reveal()).isEqualTo("sk-from-file-777");
    assertThat(loaded.secretValues()).contains("sk-from-file-777");
    assertThat(ConfigDump.render(loaded))
        .containsPattern("provider.api-key\\s+= \\[redacted\\]\\s+# file ")
        .doesNotContain("sk-from-file-777");
  }

  @Test
  void unreadableSecretFileIsAClearProblem() {
    Map<String, String> env = minimalEnv();
    env.remove("RENDER_RELAY_PROVIDER_API_KEY");
    env.put("RENDER_RELAY_PROVIDER_API_KEY_FILE", dir.resolve("missing").toString());
    assertThatThrownBy(() -> ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty())))
        .hasMessageContaining("provider.api-key-file")
        .hasMessageContaining("cannot read the secret file (NoSuchFileException)");
  }

  @Test
  void dumpAndToStringRedactEverySecret() throws Exception {
    Map<String, String> env = minimalEnv();
    env.put("RENDER_RELAY_STORAGE_ACCESS_KEY_ID", "AKIAEXAMPLE");
    env.put("RENDER_RELAY_STORAGE_SECRET_ACCESS_KEY", "aws-secret-abcdef");
    env.put("RENDER_RELAY_REGISTRY_BASIC_AUTH_USER_INFO", "user:registry-pass-123");
    env.put("RENDER_RELAY_KAFKA_CLIENT_SASL_JAAS_CONFIG", "jaas password=\"kafka-pw-42\";");
    env.put("RENDER_RELAY_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL");

    LoadedConfig loaded =
        ConfigLoader.loadWithSources(new ConfigSources(Map.of(), env, Optional.empty()));
    String dump = ConfigDump.render(loaded);

    assertThat(loaded.config().kafka().clientOverrides())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", "jaas password=\"kafka-pw-42\";");
    assertThat(dump)
        .contains("kafka.client.security.protocol", "SASL_SSL", "AKIAEXAMPLE")
        .containsPattern("kafka.client.sasl.jaas.config\\s+= \\[redacted\\]")
        .doesNotContain(API_KEY, "aws-secret-abcdef", "registry-pass-123", "kafka-pw-42");
    assertThat(loaded.secretValues())
        .contains(API_KEY, "aws-secret-abcdef", "user:registry-pass-123");
    assertThat(loaded.config().provider().toString()).doesNotContain(API_KEY);
    assertThat(loaded.values().toString()).doesNotContain(API_KEY, "kafka-pw-42");
  }

  @Test
  void invalidSecretValueIsRedactedInTheMessage() {
    Map<String, String> env = minimalEnv();
    env.put("RENDER_RELAY_REGISTRY_BASIC_AUTH_USER_INFO", "no-colon-secret-999");
    assertThatThrownBy(() -> ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty())))
        .hasMessageContaining("registry.basic-auth-user-info = '[redacted]': must be user:password")
        .message()
        .doesNotContain("no-colon-secret-999");
  }

  @Test
  void kafkaClientCredentialInPropertiesFileAndManagedPropertiesAreRefused() throws Exception {
    Path file =
        props(
            "kafka.client.ssl.truststore.location=/etc/ts.jks\n"
                + "kafka.client.ssl.truststore.password=ts-pass-1\n"
                + "kafka.client.isolation.level=read_uncommitted\n");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(new ConfigSources(Map.of(), minimalEnv(), Optional.of(file))));
    assertThat(e.problems())
        .extracting(ConfigProblem::key)
        .containsExactlyInAnyOrder(
            "kafka.client.ssl.truststore.password", "kafka.client.isolation.level");
    assertThat(e.getMessage()).doesNotContain("ts-pass-1").contains("managed by the worker");
  }

  @Test
  void crossKeyRules() {
    Map<String, String> env = minimalEnv();
    env.put("RENDER_RELAY_PROVIDER_BASE_URL", "http://127.0.0.1:9999");
    env.put("RENDER_RELAY_POLL_TIERS", "a.poll:10s:0,render.events:30s:2,a.poll:1m:0");
    env.put("RENDER_RELAY_STORAGE_ACCESS_KEY_ID", "AKIA");
    env.put("RENDER_RELAY_STORAGE_ALLOW_INSECURE_OUTPUTS", "true");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty())));
    assertThat(e.getMessage())
        .contains("provider.base-url: must be https")
        .contains("tier 'a.poll': attempts must be >= 1")
        .contains("tier topic 'a.poll' appears twice")
        .contains("topic is also used by topics.events")
        .contains("storage.secret-access-key: storage.access-key-id and storage.secret-access-key")
        .contains("storage.allow-insecure-outputs: may be true only with jobs.dev-mode=true");
  }

  @Test
  void callbackBaseUrlIsThePublicUrlOfTheCallbacksPathOnce() throws Exception {
    for (String good :
        List.of(
            "https://relay.example.com/callbacks",
            "https://relay.example.com/callbacks/",
            "https://hooks.example.com/render-relay/callbacks")) {
      Map<String, String> env = minimalEnv();
      env.put("RENDER_RELAY_PROVIDER_CALLBACK_BASE_URL", good);
      ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty()));
    }
    Map<String, String> bare = minimalEnv();
    bare.put("RENDER_RELAY_PROVIDER_CALLBACK_BASE_URL", "https://relay.example.com");
    assertThatThrownBy(() -> ConfigLoader.load(new ConfigSources(Map.of(), bare, Optional.empty())))
        .hasMessageContaining("provider.callback-base-url")
        .hasMessageContaining("must end with the callbacks path (/callbacks)");
    Map<String, String> doubled = minimalEnv();
    doubled.put(
        "RENDER_RELAY_PROVIDER_CALLBACK_BASE_URL", "https://relay.example.com/callbacks/callbacks");
    assertThatThrownBy(
            () -> ConfigLoader.load(new ConfigSources(Map.of(), doubled, Optional.empty())))
        .hasMessageContaining("provider.callback-base-url")
        .hasMessageContaining("names /callbacks twice");
  }

  @Test
  void theManagementPortDiffersFromTheCallbackPort() {
    Map<String, String> env = minimalEnv();
    env.put("RENDER_RELAY_HTTP_PORT", "9000");
    env.put("RENDER_RELAY_HTTP_MANAGEMENT_PORT", "9000");
    assertThatThrownBy(() -> ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty())))
        .hasMessageContaining("http.management-port: must differ from http.port");
  }

  @Test
  void devModeAllowsHttpProviderAndEmptyVersionHeaderSendsNone() throws Exception {
    Map<String, String> env = minimalEnv();
    env.put("RENDER_RELAY_PROVIDER_BASE_URL", "http://127.0.0.1:9999");
    env.put("RENDER_RELAY_PROVIDER_CALLBACK_BASE_URL", "http://127.0.0.1:8080/callbacks");
    env.put("RENDER_RELAY_JOBS_DEV_MODE", "true");
    env.put("RENDER_RELAY_PROVIDER_VERSION_HEADER", "");
    WorkerConfig c = ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty()));
    assertThat(c.provider().baseUrl().getPort()).isEqualTo(9999);
    assertThat(c.provider().versionHeader()).isEmpty();
  }

  @Test
  void everyDeclaredKeyHasDocGroupAndParsableDefault() {
    assertThat(ConfigKeys.ALL).extracting(ConfigKey::name).doesNotHaveDuplicates();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertThat(key.doc()).as(key.name()).isNotBlank();
      assertThat(ConfigKeys.GROUPS).as(key.name()).containsKey(key.group());
      key.defaultValue()
          .filter(d -> !d.isEmpty())
          .ifPresent(d -> assertThat(parseAndValidate(key, d)).as(key.name()).isEmpty());
    }
    assertThat(ConfigKeys.ALL.stream().filter(ConfigKey::secret).map(ConfigKey::name))
        .containsExactlyInAnyOrder(
            "provider.api-key",
            "storage.secret-access-key",
            "registry.basic-auth-user-info",
            "registry.bearer-token",
            "instance.callback-secret",
            "tracing.otlp-headers");
  }

  private static <T> Optional<String> parseAndValidate(ConfigKey<T> key, String raw) {
    return key.validator().check(key.type().parse(raw));
  }

  @Test
  void durationsAndSizesParse() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThatThrownBy(() -> Durations.parse("-5s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("PT-5S")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Sizes.parse("5MiB")).isEqualTo(5L << 20);
    assertThat(Sizes.parse("64MB")).isEqualTo(64_000_000L);
    assertThat(Sizes.parse("1024")).isEqualTo(1024L);
    assertThat(Sizes.format(8L << 20)).isEqualTo("8MiB");
    assertThatThrownBy(() -> Sizes.parse("5 parsecs")).isInstanceOf(IllegalArgumentException.class);
    assertThat(List.of(ConfigKey.envNameOf("provider.base-url")))
        .containsExactly("RENDER_RELAY_PROVIDER_BASE_URL");
  }

  @Test
  void spendKeysLoadAndCapsNeedSpendEnabled() throws Exception {
    Map<String, String> overrides =
        Map.of(
            "spend.enabled", "true",
            "spend.prices", "restyle=0.10,act-one=0.10",
            "spend.global-cap", "0.50/day",
            "spend.tenant-caps", "acme=100/month");
    WorkerConfig c =
        ConfigLoader.load(new ConfigSources(overrides, minimalEnv(), Optional.empty()));
    assertThat(c.spend().enabled()).isTrue();
    assertThat(c.spend().globalCap())
        .contains(new SpendSettings.Cap(500_000, SpendSettings.Period.DAY));
    assertThat(c.spend().prices()).hasSize(2);
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    new ConfigSources(
                        Map.of("spend.global-cap", "1/day"), minimalEnv(), Optional.empty())))
        .hasMessageContaining("spend.global-cap")
        .hasMessageContaining("spend.enabled=true");
  }
}
