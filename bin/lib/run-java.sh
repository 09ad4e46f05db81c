# Sourced by the launchers: runs a jbhyve main class from a module's target/ directory with JDK 25,
# building the module first when its jar is missing.
#   jbhyve_run_java MODULE MAIN_CLASS ARGS...
jbhyve_run_java() {
  local module="$1" main="$2"; shift 2
  local top; top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  . "$top/bin/lib/jdk.sh"
  jbhyve_find_jdk || exit 4
  local jar
  jar=$(ls "$top/$module"/target/"$module"-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1)
  if [ -z "$jar" ] || [ ! -d "$top/$module/target/lib" ]; then
    echo "jbhyve: building $module (first run)..." >&2
    (cd "$top" && ./mvnw -q -B --no-transfer-progress install -DskipTests -pl "$module" -am) >&2 || {
      echo "jbhyve: build failed; run ci/test to see why" >&2; exit 4; }
    jar=$(ls "$top/$module"/target/"$module"-*.jar | grep -v -e sources -e tests | head -n 1)
  fi
  exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xss1m \
    -cp "$jar:$top/$module/target/lib/*" "$main" "$@"
}
