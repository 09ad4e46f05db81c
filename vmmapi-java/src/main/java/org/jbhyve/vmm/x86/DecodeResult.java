package org.jbhyve.vmm.x86;

/** What {@link Decoder#decode} returns: an {@link Instruction}, or a {@link DecodeFailure}. */
public sealed interface DecodeResult permits Instruction, DecodeFailure {}
