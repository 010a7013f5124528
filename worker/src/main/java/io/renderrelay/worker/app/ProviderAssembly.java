package io.renderrelay.worker.app;

import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.provider.HttpProviderClient;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.ProviderHttpClientFactory;
import io.renderrelay.worker.provider.ProviderRuntime;
import io.renderrelay.worker.provider.RetrySettings;
import io.renderrelay.worker.provider.SubmissionGate;
import io.renderrelay.worker.retry.Sleeper;
import io.renderrelay.worker.tracing.TracedProviderClient;
import java.security.SecureRandom;

/**
 * The provider side: the process-wide submit and poll limiters and the submission gate ({@link
 * ProviderRuntime}), and the HTTP client over them, traced.
 */
record ProviderAssembly(ProviderRuntime runtime, ProviderClient client) {

  static ProviderAssembly build(Core core) {
    WorkerConfig config = core.config();
    ProviderRuntime runtime =
        ProviderRuntime.create(
            config.provider().submitsPerSecond(),
            config.provider().pollsPerSecond(),
            config.instance().submissionProbeInterval(),
            core.bridge(),
            core.local(),
            Sleeper.system());
    HttpProviderClient client =
        new HttpProviderClient(
            config.provider(),
            new ProviderHttpClientFactory().create(config.provider()),
            runtime,
            RetrySettings.defaults(new SecureRandom()));
    return new ProviderAssembly(
        runtime, new TracedProviderClient(client, core.tracing().tracer())); // issue 17
  }

  SubmissionGate gate() {
    return runtime.gate();
  }
}
