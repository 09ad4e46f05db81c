package org.jbhyve.vmm.x86;

/** What a linear address is translated for; decides the permission checks and the page-fault error code. */
public enum AccessType {
    READ, WRITE, EXECUTE
}
