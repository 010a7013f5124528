package io.renderrelay.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.worker.ledger.InternalCodec;
import io.renderrelay.worker.ledger.UnknownWriterSchemaException;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mechanism of {@code scripts/chaos --scenario upgrade}, in one JVM: the N+1 build {@link
 * NextSchemas} makes, loaded ahead of this build's classes in its own class loader, reads ledger
 * entries of N, writes N's schema when told to (step 1 of the upgrade, so N and a rollback to N
 * read them), and writes its own otherwise, which N refuses with a clear error instead of skipping.
 */
class NextSchemasTest {

  @TempDir Path dir;

  @Test
  void nextReadsCurrentAndCurrentReadsNextWritingItsSchemaButRefusesNextsOwn() throws Exception {
    Path stale = Files.createDirectories(dir.resolve("classes/avro")).resolve("JobState.avsc");
    Files.writeString(stale, "left by an earlier run"); // a second run on one work dir
    NextSchemas.Build next = NextSchemas.build(dir);
    assertThat(Files.readString(stale)).contains(NextSchemas.FIELD);
    assertThat(next.nextJobState().getField(NextSchemas.FIELD)).isNotNull();
    assertThat(
            Files.readString(next.classes().resolve("io/renderrelay/avro/released/releases.txt")))
        .contains(next.currentVersion());
    InternalCodec<JobState> current =
        InternalCodec.jobStates(ReleasedSchemas.load(), Optional.empty());
    byte[] written = current.encode(job("job-1"));

    try (URLClassLoader nextLoader = nextBuild(next.classes())) {
      Object nextCodec = codec(nextLoader, Optional.empty());
      Object read = call(nextCodec, "decode", new Class<?>[] {byte[].class}, written);
      assertThat(read.getClass().getClassLoader()).isSameAs(nextLoader);
      assertThat(call(read, "get", new Class<?>[] {String.class}, NextSchemas.FIELD)).isNull();
      assertThat(call(read, "get", new Class<?>[] {String.class}, "jobId")).isEqualTo("job-1");
      call(read, "put", new Class<?>[] {String.class, Object.class}, NextSchemas.FIELD, 7);

      Object stepOne = codec(nextLoader, Optional.of(next.currentVersion()));
      byte[] asCurrent = (byte[]) call(stepOne, "encode", new Class<?>[] {Object.class}, read);
      assertThat(current.decode(asCurrent).getJobId())
          .as("N reads step 1's entries")
          .isEqualTo("job-1");

      byte[] asNext = (byte[]) call(nextCodec, "encode", new Class<?>[] {Object.class}, read);
      assertThat(
              call(
                  call(nextCodec, "decode", new Class<?>[] {byte[].class}, asNext),
                  "get",
                  new Class<?>[] {String.class},
                  NextSchemas.FIELD))
          .isEqualTo(7);
      assertThatThrownBy(() -> current.decode(asNext))
          .isInstanceOf(UnknownWriterSchemaException.class)
          .hasMessageContaining("a newer release wrote it");
    }
  }

  /** The N+1 build first, then this JVM's classpath, below the platform loader only. */
  private static URLClassLoader nextBuild(Path classes) throws Exception {
    List<URL> urls = new ArrayList<>();
    urls.add(classes.toUri().toURL());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  private static Object codec(ClassLoader loader, Optional<String> writeVersion) throws Exception {
    Class<?> released = loader.loadClass("io.renderrelay.avro.ReleasedSchemas");
    Object releases = released.getMethod("load").invoke(null);
    return loader
        .loadClass("io.renderrelay.worker.ledger.InternalCodec")
        .getMethod("jobStates", released, Optional.class)
        .invoke(null, releases, writeVersion);
  }

  private static Object call(Object target, String name, Class<?>[] types, Object... args)
      throws Exception {
    Method m = method(target.getClass(), name, types);
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  /** The public method, matched by parameter count where generics erased the declared types. */
  private static Method method(Class<?> type, String name, Class<?>[] types) throws Exception {
    try {
      return type.getMethod(name, types);
    } catch (NoSuchMethodException e) {
      for (Method m : type.getMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == types.length) {
          return m;
        }
      }
      throw e;
    }
  }

  private static JobState job(String id) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return JobState.newBuilder()
        .setJobId(id)
        .setJobType(JobType.RESTYLE)
        .setPhase(JobPhase.POLLING)
        .setCreatedAt(t)
        .setUpdatedAt(t)
        .setDeadline(t.plusSeconds(3600))
        .build();
  }
}
