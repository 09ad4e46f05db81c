package org.jbhyve.doctor;

/**
 * What a check found. Only {@link #FAIL} makes the probe exit with status 1: {@link #WARN} is something
 * that works but is slower or less capable than it could be, and {@link #SKIP} a check that could not
 * run because another one failed (that one carries the fix).
 */
public enum Status {
    OK, WARN, FAIL, SKIP
}
