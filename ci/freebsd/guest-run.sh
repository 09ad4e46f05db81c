#!/bin/sh
# Runs inside the FreeBSD VM that ci/freebsd/run-tests boots, as root, fed to sh over ssh. It finds
# the input disk (a plain tar whose first member is JBHYVE-CI-INPUT), unpacks the jars, test classes,
# test guests and JUnit launcher, installs a JDK 25 (pkg, or the tarball on the input disk), loads
# vmm.ko, runs bhyve-doctor and the FreeBSD tests, and writes everything to the results disk (a plain
# tar whose first member is JBHYVE-CI-RESULTS).
#
# Exit status: 0 the tests passed, 1 tests failed, 3 it could not run them (no disk, no JDK).
# For trying it elsewhere: JBHYVE_CI_DISKS (candidate disk paths), JBHYVE_CI_WORK (work directory),
# JBHYVE_CI_JAVA_HOME (a JDK 25 to use instead of installing one).
set -u

work="${JBHYVE_CI_WORK:-/root/jbhyve-ci}"
disks="${JBHYVE_CI_DISKS:-/dev/vtbd0 /dev/vtbd1 /dev/vtbd2 /dev/vtbd3 /dev/vtbd4 /dev/ada0 /dev/ada1 /dev/ada2 /dev/da0 /dev/da1 /dev/da2}"
results="$work/results"

# The disk whose first tar member is named $1, or nothing.
find_disk() {
  for d in $disks; do
    [ -c "$d" ] || [ -f "$d" ] || continue
    name=$(dd if="$d" bs=512 count=1 2>/dev/null | head -c 100 | tr -d '\000')
    if [ "$name" = "$1" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

log() {
  echo "guest-run: $*"
}

# The first of its arguments that is an existing file (globs that matched nothing stay literal).
first_file() {
  for f in "$@"; do
    if [ -f "$f" ]; then
      echo "$f"
      return 0
    fi
  done
  return 1
}

# Sets JAVA to a JDK 25's java, installing one if needed; returns 1 when there is none.
find_java() {
  if [ -n "${JBHYVE_CI_JAVA_HOME:-}" ]; then
    JAVA="$JBHYVE_CI_JAVA_HOME/bin/java"
  else
    for t in "$work"/jbhyve-ci/jdk/*.tar.gz; do
      [ -f "$t" ] || continue
      log "unpacking the JDK $(basename "$t")"
      mkdir -p /usr/local/jbhyve-jdk && tar -xzf "$t" -C /usr/local/jbhyve-jdk
    done
    JAVA=$(first_file /usr/local/jbhyve-jdk/*/bin/java /usr/local/openjdk25*/bin/java)
    if [ -z "$JAVA" ]; then
      # openjdk25's headless flavor has no X11 dependencies; fall back to the full package.
      for p in openjdk25-headless openjdk25; do
        log "pkg install $p"
        if env ASSUME_ALWAYS_YES=yes pkg install -y "$p" >"$results/pkg-install.log" 2>&1; then break; fi
      done
      JAVA=$(first_file /usr/local/openjdk25*/bin/java)
    fi
  fi
  if [ -z "$JAVA" ] || ! "$JAVA" -version >"$results/java-version.txt" 2>&1; then
    log "no JDK 25: pkg install openjdk25 failed (see pkg-install.log) and no --jdk tarball was given"
    return 1
  fi
  log "java: $JAVA ($(head -n 1 "$results/java-version.txt"))"
  return 0
}

run() {
  in=$(find_disk JBHYVE-CI-INPUT) || { log "no input disk (a tar starting with JBHYVE-CI-INPUT) among: $disks"; return 3; }
  log "input disk $in, results disk $out"
  tar -xf "$in" -C "$work" || { log "cannot unpack $in"; return 3; }
  ci="$work/jbhyve-ci"

  {
    uname -a
    freebsd-version -ku 2>/dev/null
    echo "hw.model: $(sysctl -n hw.model 2>/dev/null)"
    echo "hw.ncpu: $(sysctl -n hw.ncpu 2>/dev/null)"
    echo "kern.vm_guest: $(sysctl -n kern.vm_guest 2>/dev/null)"
    grep -E '^ *(VT-x|SVM):|^Hypervisor:' /var/run/dmesg.boot 2>/dev/null
    cat "$ci/host" 2>/dev/null
  } >"$results/host.txt" 2>&1
  cat "$results/host.txt"

  find_java || return 3

  if kldstat -q -m vmm 2>/dev/null; then
    vmm="loaded"
  elif kldload vmm >"$results/kldload.txt" 2>&1; then
    vmm="loaded (kldload vmm)"
  else
    vmm="not loadable ($(tr '\n' ' ' <"$results/kldload.txt")): tests that need a VM are skipped"
  fi
  log "vmm.ko: $vmm"

  cp=""
  for d in "$ci"/test-classes/*; do cp="$cp${cp:+:}$d"; done
  for j in "$ci"/jars/*.jar "$ci"/lib/*.jar; do cp="$cp${cp:+:}$j"; done
  runtime=""
  for j in "$ci"/jars/*.jar "$ci"/lib/*.jar; do runtime="$runtime${runtime:+:}$j"; done

  log "bin/bhyve-doctor"
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$runtime" org.jbhyve.doctor.Doctor >"$results/doctor.txt" 2>&1
  doctor=$?
  "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$runtime" org.jbhyve.doctor.Doctor --json \
    >"$results/doctor.json" 2>"$results/doctor-json.err"
  cat "$results/doctor.txt"

  # The selectors are words, one per argument: left unquoted on purpose.
  selectors=$(cat "$ci/tests")
  log "JUnit: $selectors"
  # shellcheck disable=SC2086
  "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$ci"/junit/junit-platform-console-standalone-*.jar execute \
    --disable-banner --disable-ansi-colors --details=tree --class-path "$cp" --reports-dir "$results/junit" \
    $selectors >"$results/tests.log" 2>&1
  junit=$?
  cat "$results/tests.log"

  xml="$results/junit/TEST-junit-jupiter.xml"
  count() { sed -n "s/.*<testsuite [^>]*$1=\"\([0-9]*\)\".*/\1/p" "$xml" 2>/dev/null | head -n 1; }
  total=$(count tests); failed=$(count failures); errors=$(count errors); skipped=$(count skipped)
  total=${total:-0}; failed=$(( ${failed:-0} + ${errors:-0} )); skipped=${skipped:-0}
  passed=$(( total - failed - skipped ))
  {
    echo "java: $(head -n 1 "$results/java-version.txt")"
    echo "vmm.ko: $vmm"
    echo "bhyve-doctor: exit status $doctor ($(tail -n 1 "$results/doctor.txt"))"
    echo "junit: exit status $junit, $total tests"
    echo "freebsd: $passed passed, $failed failed, $skipped skipped"
  } >"$results/summary.txt"
  if [ "$junit" -ne 0 ] || [ "$failed" -ne 0 ]; then return 1; fi
  if [ "$total" -eq 0 ]; then log "no test ran"; return 1; fi
  return 0
}

rm -rf "$work"
mkdir -p "$results"
out=$(find_disk JBHYVE-CI-RESULTS) || out=""
# Everything is shown over ssh and kept in run.log; sh has no pipefail, so the status goes through a file.
{ run; echo $? >"$work/status"; } 2>&1 | tee "$results/run.log"
status=$(cat "$work/status" 2>/dev/null || echo 3)
if [ -z "$out" ]; then
  echo "guest-run: no results disk (a tar starting with JBHYVE-CI-RESULTS) among: $disks"
  exit 3
fi
echo "jbhyve ci results, status $status" >"$work/JBHYVE-CI-RESULTS"
if ! tar -cf "$out" -C "$work" JBHYVE-CI-RESULTS results; then
  echo "guest-run: cannot write the results to $out"
  exit 3
fi
sync
exit "$status"
