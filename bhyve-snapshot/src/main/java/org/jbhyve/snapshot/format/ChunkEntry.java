package org.jbhyve.snapshot.format;

/**
 * One chunk as the manifest lists it (docs/snapshot-format.md, "Manifest"): where its payload is, how
 * long, its CRC32C, and the identity and version the compatibility rules use.
 *
 * @param name     the chunk name, e.g. {@code vcpu}, {@code dev.virtio-blk@pci.0.2.0}
 * @param instance which one of several ({@code "0"} for vCPU 0); empty for a kind with one instance
 * @param version  the version of this chunk's record layout, from 1
 * @param required whether a reader that cannot read the chunk must refuse to restore
 * @param offset   file offset of the payload (a multiple of 8)
 * @param length   payload length in bytes
 * @param crc32c   CRC32C of the payload
 * @param producer who produced the bytes inside, when that matters (e.g. {@code kvm},
 *                 {@code freebsd:1500023}); null when not given
 */
public record ChunkEntry(String name, String instance, int version, boolean required, long offset, long length,
                         int crc32c, String producer) {

    /** "chunk 'vcpu' instance 1" or "chunk 'vm'". */
    public String label() {
        return ChunkNames.label(name, instance);
    }

    /** The name up to the first '@' ({@code dev.virtio-blk} for {@code dev.virtio-blk@pci.0.2.0}). */
    public String kind() {
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }
}
