package io.renderrelay.e2e.chaos;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.devstack.simulator.OutputKind;
import io.renderrelay.devstack.simulator.SimulatorControl;
import java.util.Set;

/**
 * Checks the bytes in S3 after a chaos run: each output a completed event names sits under a key
 * derived from its job id and holds the simulator's bytes, and an object no event names (a copy cut
 * short by a kill) holds the bytes of one of its job's tasks.
 */
final class OutputAudit {
  private final SimulatorControl simulator;
  private final ObjectStore objects;
  private final Findings c;

  OutputAudit(SimulatorControl simulator, ObjectStore objects, Findings findings) {
    this.simulator = simulator;
    this.objects = objects;
    this.c = findings;
  }

  void checkOutputs(RenderCompleted done, Set<String> expectedKeys) {
    checkOutput(done, done.getVideo(), OutputKind.VIDEO, expectedKeys);
    if (done.getPoster() != null) {
      checkOutput(done, done.getPoster(), OutputKind.POSTER, expectedKeys);
    }
    if (done.getLastFrame() != null) {
      checkOutput(done, done.getLastFrame(), OutputKind.LAST_FRAME, expectedKeys);
    }
  }

  private void checkOutput(
      RenderCompleted done, RenderOutput out, OutputKind kind, Set<String> expectedKeys) {
    String job = done.getJobId();
    expectedKeys.add(out.getKey());
    String expected = simulator.outputChecksum(done.getProviderTaskId(), kind);
    String problem = null;
    if (!out.getKey().endsWith("/" + job + "/" + fileName(kind))) {
      problem = "key " + out.getKey() + " is not derived from the job id";
    } else if (!expected.equals(out.getSha256())) {
      problem = "event sha256 " + out.getSha256() + " != simulator " + expected;
    } else {
      ObjectStore.Stored s = objects.read(out.getKey());
      if (!s.etagMatchesContent()) {
        problem = "ETag " + s.etag() + " is not the MD5 of the stored bytes " + s.contentMd5();
      } else if (!expected.equals(s.contentSha256())) {
        problem = "stored bytes hash to " + s.contentSha256() + ", simulator " + expected;
      }
    }
    c.objectsVerified++;
    if (problem != null) {
      c.badObjects++;
      violation("bad object of " + job + " (" + kind + "): " + problem);
    }
  }

  /**
   * Objects no completed event names (e.g. a copy cut short by a kill) must hold the right bytes
   * too.
   */
  void checkStrayObjects(Set<String> expectedKeys) {
    for (String key : objects.keys()) {
      if (expectedKeys.contains(key)) {
        continue;
      }
      c.strays++;
      String[] parts = key.split("/");
      OutputKind kind = parts.length >= 2 ? kindOf(parts[parts.length - 1]) : null;
      String job = parts.length >= 2 ? parts[parts.length - 2] : "?";
      String actual = objects.read(key).contentSha256();
      boolean matches =
          kind != null
              && simulator.taskIdsOfJob(job).stream()
                  .anyMatch(t -> simulator.outputChecksum(t, kind).equals(actual));
      if (!matches) {
        c.badObjects++;
        violation("object " + key + " matches no output of job " + job);
      }
    }
  }

  private static String fileName(OutputKind kind) {
    return switch (kind) {
      case VIDEO -> "video.mp4";
      case POSTER -> "poster.png";
      case LAST_FRAME -> "last_frame.png";
    };
  }

  private static OutputKind kindOf(String fileName) {
    for (OutputKind k : OutputKind.values()) {
      if (fileName(k).equals(fileName)) {
        return k;
      }
    }
    return null;
  }

  private void violation(String v) {
    c.violation(v);
  }
}
