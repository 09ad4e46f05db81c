package org.jbhyve.bhyve.devices.virtio;

import java.security.SecureRandom;

import org.jbhyve.bhyve.config.ConfigTree;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.devices.pci.PciAddress;

/**
 * bhyve's {@code virtio-rnd}: a virtio entropy device (type 4, PCI 1af4:1005, class 0x10 crypto as in
 * bhyve) with one 64-entry request queue. Each chain's writable buffers are filled from the host's
 * {@link SecureRandom} (on Linux the kernel's non-blocking pool), at most {@link #MAX_BYTES_PER_REQUEST}
 * bytes per chain; the used length says how many. Requests are small and served on the notifying
 * vCPU thread, as bhyve does. No configuration space, no device-specific features, no options.
 */
public final class VirtioRnd extends VirtioPciDevice {
    public static final String EMULATION = "virtio-rnd";
    public static final int QUEUE_SIZE = 64;
    /** The most random bytes one request gets, however large its buffers are. */
    public static final int MAX_BYTES_PER_REQUEST = 64 << 10;
    private static final int CLASS_CRYPTO = 0x10;

    private final SecureRandom random;
    private final byte[] buffer = new byte[4096];

    public static VirtioRnd create(ConfigTree config, String node, PciAddress address, Platform platform) {
        return new VirtioRnd(config, address, platform, new SecureRandom());
    }

    VirtioRnd(ConfigTree config, PciAddress address, Platform platform, SecureRandom random) {
        super(EMULATION, address, platform, config,
                new Identity(Virtio.TYPE_ENTROPY, Virtio.LEGACY_ID_ENTROPY, CLASS_CRYPTO, 0),
                new int[] {QUEUE_SIZE}, 0, 0);
        this.random = random;
    }

    @Override
    protected byte[] deviceConfig() {
        return new byte[0];
    }

    @Override
    protected void queueNotified(VirtQueue q) {
        // Under the function's lock: one vCPU at a time fills requests (the buffer is shared).
        synchronized (lock()) {
            do {
                notifications(q, false);
                DescriptorChain c;
                while ((c = take(q)) != null) {
                    long n = Math.min(c.writableBytes(), MAX_BYTES_PER_REQUEST);
                    for (long done = 0; done < n; ) {
                        int chunk = (int) Math.min(buffer.length, n - done);
                        byte[] b = chunk == buffer.length ? buffer : new byte[chunk];
                        random.nextBytes(b);
                        c.write(done, b, 0, chunk);
                        done += chunk;
                    }
                    giveBack(q, c, n);
                }
                interruptIfNeeded(q);
            } while (notifications(q, true));
        }
    }
}
