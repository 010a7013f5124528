package io.renderrelay.worker.provider;

/**
 * The gateway's error body {@code {"error": {"message", "type", "code"}}}; fields are "" when
 * absent. Values come from the provider: redact before quoting them.
 */
record GatewayError(String message, String type, String code) {}
