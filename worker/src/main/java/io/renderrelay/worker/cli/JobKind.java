package io.renderrelay.worker.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** The two job types, as operators name them on the command line. */
enum JobKind {
  RESTYLE("restyle"),
  ACT_ONE("act-one");

  private final String label;

  JobKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The command topic of this job type. */
  public String commandTopic(GlobalOptions.Topics topics) {
    return this == RESTYLE ? topics.restyle() : topics.actOne();
  }

  public static JobKind parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (JobKind k : values()) {
      if (k.label.equals(t)) {
        return k;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a job type (use restyle or act-one)");
  }

  @Override
  public String toString() {
    return label;
  }

  /** Picocli converter. */
  public static final class Converter implements ITypeConverter<JobKind> {
    @Override
    public JobKind convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Picocli completion candidates (also shown in --help). */
  public static final class Candidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(values()).map(JobKind::label).iterator();
    }
  }
}
