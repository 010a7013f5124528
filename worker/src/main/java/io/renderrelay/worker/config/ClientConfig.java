package io.renderrelay.worker.config;

import io.renderrelay.worker.config.WorkerConfig.KafkaSettings;
import io.renderrelay.worker.config.WorkerConfig.RegistrySettings;

/**
 * The part of the worker's configuration a Kafka and registry client needs (the operator CLI):
 * loaded by {@link ConfigLoader#loadClient} from the same sources as the worker's.
 *
 * @param registrySet whether registry.url was set (not its default)
 */
public record ClientConfig(KafkaSettings kafka, RegistrySettings registry, boolean registrySet) {}
