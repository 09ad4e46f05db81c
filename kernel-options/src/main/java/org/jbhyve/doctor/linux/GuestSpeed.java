package org.jbhyve.doctor.linux;

/**
 * What {@link GuestSpeedProbe} measured.
 *
 * @param exits                 how many port-I/O exits were timed
 * @param microsPerExit         guest OUT to the VMM and back into the guest, through vmmapi-java's {@code Vcpu.run()}
 * @param loopIterations        iterations of the timed guest loop ({@code dec %ecx; jnz})
 * @param nanosPerLoopIteration guest time per iteration, the cost of the run's single exit taken out
 */
public record GuestSpeed(int exits, double microsPerExit, long loopIterations, double nanosPerLoopIteration) {
}
