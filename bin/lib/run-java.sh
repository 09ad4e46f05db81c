# Sourced by the launchers: runs a jbhyve main class from a module's target/ directory with JDK 25,
# building the module first when its jar is missing.
#   jbhyve_run_java MODULE MAIN_CLASS ARGS...
#
# The module's JDK AOT cache, target/MODULE.aot (made by the build: bin/lib/aot-train.sh), is used
# when it is newer than every jar on the class path; JBHYVE_AOT=off leaves it out. JVM log output
# (warnings included) goes to stderr, never stdout: stdout may be a guest's console (-l com1,stdio).
# JBHYVE_PRINT_JAVA=1 prints the java command line, one argument per line, instead of running it.

# Sets JBHYVE_JAVA to the java command line for MODULE's jar and dependencies (without the main
# class): the one place the JVM options live, so that the AOT training runs with the launchers' options.
# The class path names every jar, sorted in the C locale: an AOT cache records the class path, and
# "lib/*" would be expanded in directory order, which differs between file systems (a cache made on
# ext4 did not match a copy on tmpfs).
# JBHYVE_JARS gets the same jars, one per element.
jbhyve_java_command() {
  local module="$1" top="$2" jar="$3" f
  local LC_ALL=C
  JBHYVE_JARS=("$jar")
  for f in "$top/$module"/target/lib/*.jar; do
    [ -e "$f" ] && JBHYVE_JARS+=("$f")
  done
  local IFS=:
  JBHYVE_JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xss1m
    -Xlog:disable -Xlog:all=warning,aot*=off:stderr
    -cp "${JBHYVE_JARS[*]}")
  # A bhyvectl command lives for a tenth of a second: C2 never pays for itself there, and its
  # compilations take CPU from the command (quick-only: C1 alone). --inspect 135 ms instead of 167,
  # --verify of a 256 MiB snapshot 150 instead of 185 (hyperfine); CRC32C stays an intrinsic in C1.
  # bhyve keeps both compilers: a VM runs for hours.
  if [ "$module" = bhyvectl-java ]; then
    JBHYVE_JAVA+=(-XX:CompilationMode=quick-only)
  fi
}

# Sets JBHYVE_JAR to the module's jar (the first in name order that is not a sources or tests jar), or
# to nothing. A glob, not ls | grep: no process on the launchers' path.
jbhyve_module_jar() {
  local module="$1" top="$2" f
  JBHYVE_JAR=
  for f in "$top/$module"/target/"$module"-*.jar; do
    case "${f##*/}" in *-sources.jar | *-tests.jar | *-test-sources.jar) continue ;; esac
    if [ -f "$f" ]; then
      JBHYVE_JAR=$f
      return 0
    fi
  done
  return 1
}

# True when MODULE's AOT cache exists and no jar on its class path (JBHYVE_JARS, from
# jbhyve_java_command) is newer.
jbhyve_aot_fresh() {
  local module="$1" top="$2" aot="$top/$1/target/$1.aot" f
  [ "${JBHYVE_AOT:-on}" != off ] && [ -f "$aot" ] || return 1
  for f in "${JBHYVE_JARS[@]}"; do
    [ "$f" -nt "$aot" ] && return 1
  done
  return 0
}

jbhyve_run_java() {
  local module="$1" main="$2"; shift 2
  # The checkout's top directory, from this file's path: ${BASH_SOURCE[0]%/*} instead of dirname
  # (one process fewer); the subshell keeps the caller's working directory for java.
  local top; top="$(CDPATH= cd "${BASH_SOURCE[0]%/*}/../.." && pwd)"
  . "$top/bin/lib/jdk.sh"
  jbhyve_find_jdk || exit 4
  jbhyve_module_jar "$module" "$top"
  if [ -z "$JBHYVE_JAR" ] || [ ! -d "$top/$module/target/lib" ]; then
    echo "jbhyve: building $module (first run)..." >&2
    (cd "$top" && ./mvnw -q -B --no-transfer-progress install -DskipTests -pl "$module" -am) >&2 || {
      echo "jbhyve: build failed; run ci/test to see why" >&2; exit 4; }
    jbhyve_module_jar "$module" "$top"
  fi
  jbhyve_java_command "$module" "$top" "$JBHYVE_JAR"
  if jbhyve_aot_fresh "$module" "$top"; then
    JBHYVE_JAVA+=("-XX:AOTCache=$top/$module/target/$module.aot")
  fi
  if [ "${JBHYVE_PRINT_JAVA:-}" = 1 ]; then
    printf '%s\n' "${JBHYVE_JAVA[@]}" "$main" "$@"
    exit 0
  fi
  exec "${JBHYVE_JAVA[@]}" "$main" "$@"
}
