package org.jbhyve.bhyve.devices.pm;

/**
 * What the guest's power-management writes ask the VMM to do. Called on the vCPU thread that made
 * the write, outside the device's lock: an implementation must request the state change and
 * return, never wait for vCPUs to stop (the caller is one of them).
 */
public interface PowerControl {
    /** The guest entered S5 (soft off): bhyve exits with status 1. */
    void poweroff();

    /** The guest asked for a reset through port 0xcf9: bhyve exits with status 0. */
    void reset();
}
