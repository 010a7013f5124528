# shellcheck shell=bash
# Shared helpers for render-relay scripts: find a JDK >= 21 and Maven, build once.
set -euo pipefail

RR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export RR_ROOT

rr_java_major() {
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
  echo "${v%%.*}"
}

rr_find_jdk() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && (( $(rr_java_major "$JAVA_HOME") >= 21 )); then
    return 0
  fi
  local best="" best_major=0 d m
  for d in /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/; do
    [[ -x "$d/bin/javac" ]] || continue
    m=$(rr_java_major "${d%/}") || continue
    if (( m >= 21 && m > best_major )); then best="${d%/}"; best_major=$m; fi
  done
  if [[ -z "$best" ]]; then
    echo "render-relay: no JDK >= 21 found (JAVA_HOME='${JAVA_HOME:-}' and nothing under /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+, and retry." >&2
    exit 3
  fi
  export JAVA_HOME="$best"
}

rr_find_mvn() {
  if command -v mvn >/dev/null 2>&1; then MVN=(mvn); else
    echo "render-relay: Maven not found; installing it with apt-get" >&2
    (apt-get update -qq && apt-get install -y -qq maven) >&2
    MVN=(mvn)
  fi
  MVN+=(-B -ntp -Dstyle.color=never)
}

rr_setup() {
  rr_find_jdk
  export PATH="$JAVA_HOME/bin:$PATH"
  rr_find_mvn
}

# Build every module once (no tests) and write the e2e runtime classpath to target/classpath.txt.
rr_build() {
  rr_setup
  (cd "$RR_ROOT" && "${MVN[@]}" -q install -DskipTests -Dspotless.check.skip=true -Dpmd.skip=true \
     && "${MVN[@]}" -q -pl e2e dependency:build-classpath -Dmdep.outputFile="$RR_ROOT/e2e/target/classpath.txt" -Dmdep.includeScope=test) >&2
}

rr_classpath() {
  echo "$RR_ROOT/e2e/target/classes:$RR_ROOT/e2e/target/test-classes:$(cat "$RR_ROOT/e2e/target/classpath.txt")"
}

# Build only the devstack module and the modules it needs (no tests, no install); its package phase
# writes devstack/target/classpath.txt. RR_SKIP_BUILD=1 reuses an earlier build.
rr_build_devstack() {
  rr_setup
  if [[ "${RR_SKIP_BUILD:-0}" == 1 && -f "$RR_ROOT/devstack/target/classpath.txt" ]]; then
    return 0
  fi
  (cd "$RR_ROOT" && "${MVN[@]}" -q -pl devstack -am package -DskipTests -Dspotless.check.skip=true -Dpmd.skip=true) >&2
}

rr_devstack_classpath() {
  echo "$RR_ROOT/devstack/target/classes:$(cat "$RR_ROOT/devstack/target/classpath.txt")"
}

# Build only the e2e module and the modules it needs (no tests, no install); its package phase
# writes e2e/target/classpath.txt. RR_SKIP_BUILD=1 reuses an earlier build.
rr_build_e2e() {
  rr_setup
  if [[ "${RR_SKIP_BUILD:-0}" == 1 && -f "$RR_ROOT/e2e/target/classpath.txt" ]]; then
    return 0
  fi
  (cd "$RR_ROOT" && "${MVN[@]}" -q -pl e2e -am package -DskipTests -Dspotless.check.skip=true -Dpmd.skip=true) >&2
}

rr_e2e_classpath() {
  echo "$RR_ROOT/e2e/target/classes:$(cat "$RR_ROOT/e2e/target/classpath.txt")"
}
