package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class S3ClientFactoryTest {
  private final StorageSettings base = StorageSettingsFixture.settings(false, Set.of());

  private StorageSettings withCredentials(Optional<String> id, Optional<Secret> secret) {
    return new StorageSettings(
        base.endpoint(),
        base.region(),
        base.bucket(),
        base.rootPrefix(),
        base.pathStyle(),
        id,
        secret,
        base.partSizeBytes(),
        base.maxOutputBytes(),
        base.allowedOutputHosts(),
        base.allowInsecureOutputs(),
        base.downloadTimeout(),
        base.maxCopyAttempts());
  }

  @Test
  void staticCredentialsWhenBothGiven() {
    var factory = new S3ClientFactory(base, S3ClientFactory.Tuning.defaults());
    var provider = factory.credentials();
    assertThat(provider).isInstanceOf(StaticCredentialsProvider.class);
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(provider.toString()).doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void defaultChainWhenNoneGiven() {
    var factory =
        new S3ClientFactory(
            withCredentials(Optional.empty(), Optional.empty()), S3ClientFactory.Tuning.defaults());
    assertThat(factory.credentials()).isInstanceOf(DefaultCredentialsProvider.class);
  }

  @Test
  void halfCredentialsAreAConfigError() {
    var factory =
        new S3ClientFactory(
            withCredentials(Optional.of("AKID"), Optional.empty()),
            S3ClientFactory.Tuning.defaults());
    assertThatThrownBy(factory::credentials).hasMessageContaining("must be given together");
  }

  @Test
  void buildsAPathStyleClientWithoutConnecting() {
    try (var client = new S3ClientFactory(base, S3ClientFactory.Tuning.defaults()).create()) {
      assertThat(client.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
      assertThat(client.serviceClientConfiguration().endpointOverride())
          .hasValue(java.net.URI.create("http://127.0.0.1:9"));
    }
  }

  @Test
  void tuningIsBounded() {
    var d = S3ClientFactory.Tuning.defaults();
    assertThatThrownBy(
            () ->
                new S3ClientFactory.Tuning(
                    d.connectTimeout(),
                    d.socketTimeout(),
                    d.apiCallAttemptTimeout(),
                    d.apiCallTimeout(),
                    0,
                    10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
