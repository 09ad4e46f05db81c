package org.jbhyve.bhyve.runtime;

/**
 * The VM's lifecycle. Everything that needs the vCPUs still (pause, checkpoint) asks the
 * {@link VmStateMachine} rather than touching vCPU threads.
 *
 * <pre>
 * CREATED --start--> RUNNING --pause--> PAUSED --resume--> RUNNING
 *                       |                  |--checkpoint--> CHECKPOINTING --> PAUSED
 *                       |                  '--suspend-----> SUSPENDED (terminal)
 *                       '--guest exit / error / destroy--> DESTROYED (terminal)
 * </pre>
 */
public enum VmState {
    CREATED, RUNNING, PAUSED, CHECKPOINTING, SUSPENDED, DESTROYED;

    public boolean isTerminal() {
        return this == SUSPENDED || this == DESTROYED;
    }
}
