package io.renderrelay.worker.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.worker.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Shared test material: the fake API key and the answer fixtures. */
final class Fixtures {
  /** Looks like a real key so that a leak is easy to spot; appears nowhere but in requests. */
  static final String API_KEY = "sk-rr-TEST/9f8e7d6c5b4a3f2e1d0c-LEAKCANARY";

  static final Secret SECRET = new Secret(API_KEY);

  private Fixtures() {}

  static String read(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/provider/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProviderAnswerParser parser() {
    return new ProviderAnswerParser(
        new ObjectMapper(), new StatusNormaliser(), new Redactor(SECRET));
  }
}
