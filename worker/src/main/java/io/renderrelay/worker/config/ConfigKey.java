package io.renderrelay.worker.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration key, declared once with everything the loader, the dump and the generated docs
 * need.
 *
 * @param name dotted name, e.g. {@code provider.base-url}
 * @param type value type (parser)
 * @param defaultValue the default as text, if any
 * @param required true when the key has no default and must be set
 * @param validator checks the parsed value
 * @param doc one-sentence description for docs/configuration.md
 * @param secret true for credentials: only from an environment variable or a file, always redacted
 * @param group the docs section
 * @param blankMeansUnset true when an empty value switches the feature off (instead of being
 *     invalid); always true for a key with no default that is not required
 * @param <T> the parsed type
 */
public record ConfigKey<T>(
    String name,
    ValueType<T> type,
    Optional<String> defaultValue,
    boolean required,
    Validator<? super T> validator,
    String doc,
    boolean secret,
    String group,
    boolean blankMeansUnset) {

  /** The prefix of every environment variable the worker reads. */
  public static final String ENV_PREFIX = "RENDER_RELAY_";

  /** Suffix of the companion key that names a file holding a secret. */
  public static final String FILE_SUFFIX = "-file";

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(validator, "validator");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(group, "group");
    if (required && defaultValue.isPresent()) {
      throw new IllegalArgumentException(name + ": a required key has no default");
    }
    if (secret && defaultValue.isPresent()) {
      throw new IllegalArgumentException(name + ": a secret has no default");
    }
  }

  /** The declared default, parsed: the one place a default is written down. */
  public T parsedDefault() {
    return type.parse(
        defaultValue.orElseThrow(() -> new IllegalStateException(name + " declares no default")));
  }

  /** Starts a declaration. */
  public static <T> Builder<T> key(String name, ValueType<T> type) {
    return new Builder<>(name, type);
  }

  /** {@code RENDER_RELAY_PROVIDER_BASE_URL} for {@code provider.base-url}. */
  public String envName() {
    return envNameOf(name);
  }

  /** For a secret: the key naming a file that holds it, e.g. {@code provider.api-key-file}. */
  public String fileKeyName() {
    return name + FILE_SUFFIX;
  }

  /** Upper case, dots and dashes to underscores, with the RENDER_RELAY_ prefix. */
  public static String envNameOf(String name) {
    return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Fluent builder for {@link ConfigKey}. */
  public static final class Builder<T> {
    private final String name;
    private final ValueType<T> type;
    private Optional<String> defaultValue = Optional.empty();
    private boolean required;
    private Validator<? super T> validator = Validator.any();
    private String doc = "";
    private boolean secret;
    private String group = "general";
    private boolean blankMeansUnset;

    private Builder(String name, ValueType<T> type) {
      this.name = name;
      this.type = type;
    }

    public Builder<T> defaultValue(String value) {
      this.defaultValue = Optional.of(value);
      return this;
    }

    public Builder<T> required() {
      this.required = true;
      return this;
    }

    public Builder<T> validator(Validator<? super T> validator) {
      this.validator = validator;
      return this;
    }

    public Builder<T> doc(String doc) {
      this.doc = doc;
      return this;
    }

    public Builder<T> secret() {
      this.secret = true;
      return this;
    }

    public Builder<T> blankMeansUnset() {
      this.blankMeansUnset = true;
      return this;
    }

    public Builder<T> group(String group) {
      this.group = group;
      return this;
    }

    public ConfigKey<T> build() {
      boolean unsetWhenBlank = blankMeansUnset || (!required && defaultValue.isEmpty());
      return new ConfigKey<>(
          name, type, defaultValue, required, validator, doc, secret, group, unsetWhenBlank);
    }
  }
}
