#!/bin/sh
# Regenerates jbhyve's FreeBSD bindings with jextract on a FreeBSD 14/15 amd64 host and diffs the
# ABI they describe against the hand-written classes. See README.md in this directory.
#
#   bindings/jextract/freebsd/regenerate.sh [--dry-run] [OUTDIR]
#
# Needs: jextract (a build for JDK 25) on PATH or in $JEXTRACT, a JDK 25 in $JAVA_HOME, the base
# system headers in /usr/include and libvmmapi. --dry-run prints the jextract command lines and
# stops (works anywhere). Exit status: 0 if the dumps match, 1 if they differ, 2 on error.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
src="$root/bindings/src/main/java/org/jbhyve/bindings/freebsd"
dry_run=no
if [ "${1:-}" = "--dry-run" ]; then dry_run=yes; shift; fi
out=${1:-${TMPDIR:-/tmp}/jbhyve-jextract-freebsd}
include=${INCLUDE_DIR:-/usr/include}
jextract=${JEXTRACT:-jextract}
java_home=${JAVA_HOME:-}
pkg=org.jbhyve.bindings.freebsd

run() {
    if [ "$dry_run" = yes ]; then
        printf '%s' "$1"; shift
        for a in "$@"; do printf ' %s' "$a"; done
        printf '\n\n'
    else
        "$@"
    fi
}

# 1. One wrapper header that #includes headers.txt in order.
mkdir -p "$out"
wrapper="$out/jbhyve_freebsd.h"
: > "$wrapper"
grep -v '^[[:space:]]*#' "$here/headers.txt" | grep -v '^[[:space:]]*$' | while read -r h; do
    case $h in
        \?*) h=${h#?}
             if [ -e "$include/$h" ] || [ "$dry_run" = yes ]; then echo "#include <$h>" >> "$wrapper"
             else echo "note: optional header $include/$h not present, skipped" >&2; fi ;;
        *) echo "#include <$h>" >> "$wrapper" ;;
    esac
done

# 2. Include lists, derived from the hand-written sources so that both sides cover the same symbols.
#    Names that exist only in jbhyve (the _FBSD14 variants, helper constants) match nothing and are
#    harmless to jextract.
structs=$(cd "$src/vmm" && grep -l 'public static final GroupLayout layout()' *.java | sed 's/\.java$//' | sort)
vmm_consts=$( (grep -ohE 'public static final (int|long) [A-Z_][A-Z0-9_]*' "$src/vmm/vmm_h.java" "$src/vmm/FreeBsdIoctl.java") \
    | awk '{print $5}' | sort -u)
functions=$(grep -oE 'FunctionDescriptor [a-z_0-9]+\$DESC' "$src/vmm/vmmapi_h.java" | sed 's/FunctionDescriptor //; s/\$DESC$//')
sock_structs="cmsghdr sockaddr_un msghdr iovec"
sock_consts=$(grep -ohE 'public static final (int|long) [A-Z_][A-Z0-9_]*' "$src/socket/socket_h.java" \
    | awk '{print $5}' | sort -u)
libc_consts=$(grep -ohE 'public static final (int|long) [A-Z_][A-Z0-9_]*' "$src/libc/"*.java \
    | awk '{print $5}' | sort -u)
net_structs="ifreq"
net_consts=$(grep -ohE 'public static final (int|long) [A-Z_][A-Z0-9_]*' "$src/net/net_h.java" \
    | awk '{print $5}' | sort -u)

args_for() { # flag names...
    flag=$1; shift
    for n in "$@"; do printf '%s %s ' "$flag" "$n"; done
}

# 3. jextract: structs and constants (header class vmm_h), functions (vmmapi_h), sockets (socket_h),
#    fcntl.h, errno.h and poll.h constants (one header class; LayoutDump ignores which class a constant
#    is in), and the tap/interface facts (ifreq, net_h). Five runs into five directories, because each
#    run writes one header class.
rm -rf "$out/gen-vmm" "$out/gen-vmmapi" "$out/gen-socket" "$out/gen-libc" "$out/gen-net"
# shellcheck disable=SC2046
run "$jextract" --output "$out/gen-vmm" --target-package "$pkg.vmm" --header-class-name vmm_h \
    -I "$include" $(args_for --include-struct $structs) \
    $(args_for --include-constant $vmm_consts) "$wrapper"
# shellcheck disable=SC2046
run "$jextract" --output "$out/gen-vmmapi" --target-package "$pkg.vmm" --header-class-name vmmapi_h \
    -I "$include" --library vmmapi $(args_for --include-function $functions) "$wrapper"
# shellcheck disable=SC2046
run "$jextract" --output "$out/gen-socket" --target-package "$pkg.socket" --header-class-name socket_h \
    -I "$include" $(args_for --include-struct $sock_structs) $(args_for --include-constant $sock_consts) "$wrapper"
# shellcheck disable=SC2046
run "$jextract" --output "$out/gen-libc" --target-package "$pkg.libc" --header-class-name fcntl_h \
    -I "$include" $(args_for --include-constant $libc_consts) "$wrapper"
# shellcheck disable=SC2046
run "$jextract" --output "$out/gen-net" --target-package "$pkg.net" --header-class-name net_h \
    -I "$include" $(args_for --include-struct $net_structs) $(args_for --include-constant $net_consts) "$wrapper"

if [ "$dry_run" = yes ]; then
    echo "# wrapper header $wrapper:"
    cat "$wrapper"
    exit 0
fi

# 4. Compile both sides and dump their ABI facts (sizes, offsets, constants, function descriptors).
[ -n "$java_home" ] || { echo "regenerate.sh: set JAVA_HOME to a JDK 25" >&2; exit 2; }
javac="$java_home/bin/javac"
java="$java_home/bin/java"
rm -rf "$out/classes-generated" "$out/classes-handwritten"
# shellcheck disable=SC2046
"$javac" --release 25 -nowarn -d "$out/classes-generated" $(find "$out/gen-vmm" "$out/gen-vmmapi" "$out/gen-socket" "$out/gen-libc" "$out/gen-net" -name '*.java')
# shellcheck disable=SC2046
"$javac" --release 25 -nowarn -d "$out/classes-handwritten" $(find "$src/vmm" "$src/socket" "$src/libc" "$src/net" -name '*.java')

status=0
for p in vmm socket libc net; do
    "$java" --enable-native-access=ALL-UNNAMED "$here/LayoutDump.java" "$out/classes-handwritten" "$pkg.$p" vie > "$out/handwritten-$p.txt"
    "$java" --enable-native-access=ALL-UNNAMED "$here/LayoutDump.java" "$out/classes-generated" "$pkg.$p" vie > "$out/generated-$p.txt"
    echo "== $pkg.$p: - hand-written, + jextract"
    diff -u "$out/handwritten-$p.txt" "$out/generated-$p.txt" || status=1
done
exit $status
