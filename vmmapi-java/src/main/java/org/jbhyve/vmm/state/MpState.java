package org.jbhyve.vmm.state;

/** Multiprocessing state of a vCPU. Restored first, before anything that depends on it. */
public enum MpState {
    RUNNABLE, UNINITIALIZED, INIT_RECEIVED, HALTED, SIPI_RECEIVED
}
