# Sourced by every launcher and script: finds a JDK 25 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is a JDK 25, then /usr/lib/jvm/*. The default `java`
# on these hosts is often older, so PATH is deliberately not trusted.

# Sets JBHYVE_MAJOR to the feature version of the JDK at $1 (e.g. 25), or to nothing. Bash builtins
# only: the launchers run this on every start, and each process forked costs a millisecond or more.
jbhyve_read_java_major() {
  local line
  JBHYVE_MAJOR=
  [ -r "$1/release" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do # (the last line may lack its newline)
    case "$line" in
      JAVA_VERSION=\"[0-9]*)
        line=${line#JAVA_VERSION=\"}
        JBHYVE_MAJOR=${line%%[!0-9]*}
        return 0 ;;
    esac
  done < "$1/release"
  return 1
}

jbhyve_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing.
  jbhyve_read_java_major "$1" && printf '%s\n' "$JBHYVE_MAJOR"
}

jbhyve_find_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/local/openjdk25 /usr/local/openjdk25-headless /usr/local/openjdk-25; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    jbhyve_read_java_major "$candidate" || continue
    if [ -n "$JBHYVE_MAJOR" ] && [ "$JBHYVE_MAJOR" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "jbhyve: no JDK 25 found (looked at \$JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*)." >&2
  echo "jbhyve: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
