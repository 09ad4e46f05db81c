package org.jbhyve.snapshot.format;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * What a writer records about the VM besides chunks and RAM: its name, vCPU count, the full bhyve
 * configuration tree flattened to {@code path -> value} in tree order (so {@code bhyve -r FILE} needs no
 * other option), the host, and who wrote the file when.
 *
 * @param vmName          the VM name ({@code name} in the config)
 * @param vcpus           number of vCPUs
 * @param config          every config value, e.g. {@code memory.size -> 1G}, {@code pci.0.2.0.device -> virtio-blk}
 * @param host            the host (see {@link HostInfo#detect})
 * @param producerVersion the jbhyve version writing the file
 * @param created         when the checkpoint was taken
 */
public record SnapshotMetadata(String vmName, int vcpus, SequencedMap<String, String> config, HostInfo host,
                               String producerVersion, Instant created) {

    public SnapshotMetadata {
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(producerVersion, "producerVersion");
        Objects.requireNonNull(created, "created");
        if (vcpus < 1 || vcpus > 65535) throw new IllegalArgumentException("vcpus " + vcpus + " is not in 1..65535");
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) throw new IllegalArgumentException("config has an empty key");
            copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), "config value of " + e.getKey()));
        }
        config = Collections.unmodifiableSequencedMap(copy);
    }

    /** Metadata created now by this jbhyve version. */
    public static SnapshotMetadata of(String vmName, int vcpus, SequencedMap<String, String> config, HostInfo host) {
        return new SnapshotMetadata(vmName, vcpus, config, host, jbhyveVersion(), Instant.now());
    }

    public SnapshotMetadata withCreated(Instant when) {
        return new SnapshotMetadata(vmName, vcpus, config, host, producerVersion, when);
    }

    public SnapshotMetadata withProducerVersion(String version) {
        return new SnapshotMetadata(vmName, vcpus, config, host, version, created);
    }

    /** This build's version from the jar manifest, or "dev" when run from classes. */
    public static String jbhyveVersion() {
        String v = SnapshotMetadata.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
