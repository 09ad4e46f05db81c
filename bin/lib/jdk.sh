# Sourced by every launcher and script: finds a JDK 25 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is a JDK 25, then /usr/lib/jvm/*. The default `java`
# on these hosts is often older, so PATH is deliberately not trusted.

jbhyve_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing.
  local release="$1/release"
  [ -r "$release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

jbhyve_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/local/openjdk25 /usr/local/openjdk25-headless /usr/local/openjdk-25; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(jbhyve_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "jbhyve: no JDK 25 found (looked at \$JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*)." >&2
  echo "jbhyve: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
