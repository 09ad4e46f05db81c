package org.jbhyve.vmm.state;

/** GDTR or IDTR: linear base and limit. */
public record DescriptorTable(long base, int limit) {}
