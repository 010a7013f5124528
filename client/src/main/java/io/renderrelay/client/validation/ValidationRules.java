package io.renderrelay.client.validation;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The limits a command must respect; shared by the client (before sending) and the worker (on
 * intake), so both reject the same commands.
 *
 * @param allowedSchemes URL schemes accepted for input media (lower case; default {@code https})
 * @param allowPrivateHosts accept loopback/private/link-local hosts (dev mode only)
 * @param allowedModels restyle models accepted
 * @param maxPromptLength maximum prompt length in chars
 * @param maxUrlLength maximum URL length in chars
 * @param maxMetadataEntries maximum number of metadata entries
 * @param maxMetadataKeyLength maximum metadata key length in chars
 * @param maxMetadataValueLength maximum metadata value length in chars
 * @param maxOutputPrefixLength maximum output prefix length in chars
 * @param jobIdPattern the whole job id must match it
 * @param minDeadline smallest allowed {@code deadline - requestedAt}
 * @param maxDeadline largest allowed {@code deadline - requestedAt}
 * @param maxClockSkew how far in the future {@code requestedAt} may lie
 * @param earliestRequestedAt {@code requestedAt} before it is rejected as bogus
 */
public record ValidationRules(
    Set<String> allowedSchemes,
    boolean allowPrivateHosts,
    Set<String> allowedModels,
    int maxPromptLength,
    int maxUrlLength,
    int maxMetadataEntries,
    int maxMetadataKeyLength,
    int maxMetadataValueLength,
    int maxOutputPrefixLength,
    Pattern jobIdPattern,
    Duration minDeadline,
    Duration maxDeadline,
    Duration maxClockSkew,
    Instant earliestRequestedAt) {

  /**
   * Default job id pattern: 1 to 128 of letters, digits and {@code . _ : -} (and, as for every
   * pattern, a valid S3 key segment by {@link KeyRules}: not {@code .} nor {@code ..}).
   */
  public static final String DEFAULT_JOB_ID_PATTERN = "[A-Za-z0-9._:-]{1,128}";

  /** Default restyle models. */
  public static final Set<String> DEFAULT_MODELS = Set.of("gen4", "gen4_turbo", "gen3a_turbo");

  /** Checks and normalises the components. */
  public ValidationRules {
    allowedSchemes =
        Set.copyOf(allowedSchemes).stream()
            .map(s -> s.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    if (allowedSchemes.isEmpty()) {
      throw new IllegalArgumentException("allowedSchemes must not be empty");
    }
    allowedModels = Set.copyOf(allowedModels);
    if (allowedModels.isEmpty()) {
      throw new IllegalArgumentException("allowedModels must not be empty");
    }
    positive("maxPromptLength", maxPromptLength);
    positive("maxUrlLength", maxUrlLength);
    positive("maxMetadataKeyLength", maxMetadataKeyLength);
    positive("maxMetadataValueLength", maxMetadataValueLength);
    positive("maxOutputPrefixLength", maxOutputPrefixLength);
    if (maxMetadataEntries < 0) {
      throw new IllegalArgumentException("maxMetadataEntries must be >= 0: " + maxMetadataEntries);
    }
    Objects.requireNonNull(jobIdPattern, "jobIdPattern");
    Objects.requireNonNull(earliestRequestedAt, "earliestRequestedAt");
    if (minDeadline.isNegative() || maxDeadline.compareTo(minDeadline) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= minDeadline <= maxDeadline, got " + minDeadline + " and " + maxDeadline);
    }
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxClockSkew must not be negative");
    }
  }

  /** Production defaults: https only, no private hosts. */
  public static ValidationRules defaults() {
    return builder().build();
  }

  /** Dev-mode rules: like the defaults, but http and private/loopback hosts are accepted. */
  public static ValidationRules devMode() {
    return builder().allowedSchemes(Set.of("https", "http")).allowPrivateHosts(true).build();
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding these rules, to change a few of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.allowedSchemes = allowedSchemes;
    b.allowPrivateHosts = allowPrivateHosts;
    b.allowedModels = allowedModels;
    b.maxPromptLength = maxPromptLength;
    b.maxUrlLength = maxUrlLength;
    b.maxMetadataEntries = maxMetadataEntries;
    b.maxMetadataKeyLength = maxMetadataKeyLength;
    b.maxMetadataValueLength = maxMetadataValueLength;
    b.maxOutputPrefixLength = maxOutputPrefixLength;
    b.jobIdPattern = jobIdPattern;
    b.minDeadline = minDeadline;
    b.maxDeadline = maxDeadline;
    b.maxClockSkew = maxClockSkew;
    b.earliestRequestedAt = earliestRequestedAt;
    return b;
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0: " + value);
    }
  }

  /** Mutable builder of {@link ValidationRules}; starts from the defaults. */
  public static final class Builder {
    private Set<String> allowedSchemes = Set.of("https");
    private boolean allowPrivateHosts = false;
    private Set<String> allowedModels = DEFAULT_MODELS;
    private int maxPromptLength = 1000;
    private int maxUrlLength = 2048;
    private int maxMetadataEntries = 32;
    private int maxMetadataKeyLength = 128;
    private int maxMetadataValueLength = 1024;
    private int maxOutputPrefixLength = 256;
    private Pattern jobIdPattern = Pattern.compile(DEFAULT_JOB_ID_PATTERN);
    private Duration minDeadline = Duration.ofMinutes(1);
    private Duration maxDeadline = Duration.ofHours(48);
    private Duration maxClockSkew = Duration.ofMinutes(5);
    private Instant earliestRequestedAt = Instant.parse("2024-01-01T00:00:00Z");

    private Builder() {}

    /** Sets the accepted URL schemes. */
    public Builder allowedSchemes(Set<String> v) {
      allowedSchemes = v;
      return this;
    }

    /** Accepts (true) or rejects (false, default) private and loopback hosts. */
    public Builder allowPrivateHosts(boolean v) {
      allowPrivateHosts = v;
      return this;
    }

    /** Sets the accepted restyle models. */
    public Builder allowedModels(Set<String> v) {
      allowedModels = v;
      return this;
    }

    /** Sets the maximum prompt length. */
    public Builder maxPromptLength(int v) {
      maxPromptLength = v;
      return this;
    }

    /** Sets the maximum URL length. */
    public Builder maxUrlLength(int v) {
      maxUrlLength = v;
      return this;
    }

    /** Sets the maximum number of metadata entries. */
    public Builder maxMetadataEntries(int v) {
      maxMetadataEntries = v;
      return this;
    }

    /** Sets the maximum metadata key length. */
    public Builder maxMetadataKeyLength(int v) {
      maxMetadataKeyLength = v;
      return this;
    }

    /** Sets the maximum metadata value length. */
    public Builder maxMetadataValueLength(int v) {
      maxMetadataValueLength = v;
      return this;
    }

    /** Sets the maximum output prefix length. */
    public Builder maxOutputPrefixLength(int v) {
      maxOutputPrefixLength = v;
      return this;
    }

    /** Sets the job id pattern (the whole id must match). */
    public Builder jobIdPattern(String regex) {
      jobIdPattern = Pattern.compile(regex);
      return this;
    }

    /** Sets the allowed range of {@code deadline - requestedAt}. */
    public Builder deadlineBounds(Duration min, Duration max) {
      minDeadline = min;
      maxDeadline = max;
      return this;
    }

    /** Sets how far in the future {@code requestedAt} may lie. */
    public Builder maxClockSkew(Duration v) {
      maxClockSkew = v;
      return this;
    }

    /** Sets the earliest plausible {@code requestedAt}. */
    public Builder earliestRequestedAt(Instant v) {
      earliestRequestedAt = v;
      return this;
    }

    /** Builds the rules, checking every value. */
    public ValidationRules build() {
      return new ValidationRules(
          allowedSchemes,
          allowPrivateHosts,
          allowedModels,
          maxPromptLength,
          maxUrlLength,
          maxMetadataEntries,
          maxMetadataKeyLength,
          maxMetadataValueLength,
          maxOutputPrefixLength,
          jobIdPattern,
          minDeadline,
          maxDeadline,
          maxClockSkew,
          earliestRequestedAt);
    }
  }
}
