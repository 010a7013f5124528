package io.renderrelay.worker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The gateway's answer envelope, either format.
 *
 * @param ok the gateway code said success ({@code 200}, {@code "200"} or {@code "success"})
 * @param code the gateway code as text ("" when absent)
 * @param message {@code msg} (classic) or {@code message} (newer), "" when absent
 * @param data the {@code data} member (a missing node when absent)
 * @param error the {@code error} object, when the body carries one
 */
record Envelope(
    boolean ok, String code, String message, JsonNode data, Optional<GatewayError> error) {}
