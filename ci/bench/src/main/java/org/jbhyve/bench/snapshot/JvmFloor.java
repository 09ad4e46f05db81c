package org.jbhyve.bench.snapshot;

/**
 * ci/bench-snapshot's floor for "from process start": a Java program that does nothing but print
 * one line, started with the JVM and the options {@code bin/bhyve} uses. Whatever {@code bhyve -r}
 * does, it cannot reach its first output sooner than this, so QEMU's restore time divided by this
 * program's time is the best ratio any VMM running on this JVM could show from process start.
 *
 * <p>It prints {@code 0}, a line the harness's first-output check accepts (the rest of a tick line),
 * so that it is timed exactly as a restored guest is: to the arrival of its first stdout bytes.
 */
public final class JvmFloor {
    private JvmFloor() {
    }

    public static void main(String[] args) {
        System.out.println("0");
    }
}
