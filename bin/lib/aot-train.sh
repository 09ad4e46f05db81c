#!/usr/bin/env bash
# Makes MODULE's JDK AOT cache, target/MODULE.aot, by running TRAINING_MAIN with the launchers' JVM
# options and -XX:AOTCacheOutput (JDK 25: one training run, and the JVM writes the cache at its exit).
# The build runs it after the jar and target/lib exist (bhyve-java's and bhyvectl-java's pom.xml); the
# launchers use the cache while no jar is newer (bin/lib/run-java.sh).
#   bin/lib/aot-train.sh MODULE TRAINING_MAIN
# Never fails: the cache is only an optimisation. It is written under a temporary name and renamed,
# so a launcher never maps half a cache; its log is target/aot-training.log.
set -u
module="$1" main="$2"
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$top/bin/lib/jdk.sh"
. "$top/bin/lib/run-java.sh"
jbhyve_find_jdk || exit 0
jbhyve_module_jar "$module" "$top"
jar=$JBHYVE_JAR
target="$top/$module/target"
if [ -z "$jar" ] || [ ! -d "$target/lib" ]; then
  echo "jbhyve: no AOT cache for $module: its jar or target/lib is missing" >&2
  exit 0
fi
tmp="$target/$module.aot.tmp.$$"
rm -f "$target/$module.aot"
# Temporaries of trainings that were killed; a younger one may belong to a build running alongside.
find "$target" -maxdepth 1 -name "$module.aot.tmp.*" -mmin +10 -delete 2>/dev/null || true
jbhyve_java_command "$module" "$top" "$jar"
start=$(date +%s)
# -XX:-AOTRecordTraining: the cache keeps the loaded and linked classes but not the training's method
# profiles (JEP 515). Replaying them makes C2 compile the training's hot methods at once, and on a
# 2-CPU host those compilations take the CPU the start-up itself needs: measured with them,
# `bhyve -r` reached its guest 40-55 ms later, a fresh boot 10-30 ms later and `bhyvectl --inspect`
# took 40 ms longer (ci/bench-snapshot, hyperfine). Profiles are still gathered as the process runs.
"${JBHYVE_JAVA[@]}" -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -XX:AOTCacheOutput="$tmp" "$main" \
  </dev/null >"$target/aot-training.log" 2>&1
if [ -s "$tmp" ] && mv -f "$tmp" "$target/$module.aot"; then
  echo "jbhyve: AOT cache $module/target/$module.aot made in $(( $(date +%s) - start )) s ($(grep -o 'jbhyve AOT training: .*' "$target/aot-training.log" | tail -n 1 | cut -c 22-))"
else
  rm -f "$tmp"
  echo "jbhyve: no AOT cache for $module (the launchers start without one; see $module/target/aot-training.log)" >&2
fi
exit 0
