package org.jbhyve.bhyve.devices.pci;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jbhyve.bhyve.device.Platform;

/** A PCI function for tests: IDs 0x1af4/0x10ff, class ff/00, set up by the test. */
class TestPciDevice extends PciDevice {
    static final int VENDOR = 0x1af4, DEVICE = 0x10ff;

    /** One BAR access as the handler saw it. */
    record Access(boolean write, int bar, long offset, int size, long value) {}

    /** Records accesses; reads answer {@code 0xB0000000 | bar << 24 | offset} (truncated to size). */
    static final class RecordingHandler implements PciBarHandler {
        final List<Access> accesses = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean fail;

        @Override
        public long read(int bar, long offset, int size) {
            if (fail) throw new IllegalStateException("handler broken on purpose");
            accesses.add(new Access(false, bar, offset, size, 0));
            return 0xB0000000L | (long) bar << 24 | offset;
        }

        @Override
        public void write(int bar, long offset, int size, long value) {
            if (fail) throw new IllegalStateException("handler broken on purpose");
            accesses.add(new Access(true, bar, offset, size, value));
        }
    }

    final RecordingHandler handler = new RecordingHandler();
    int resets;
    /** Lifecycle calls in order ("pause", "resume", "restored"); a pause with {@link #pauseFails} is not recorded. */
    final List<String> lifecycle = new ArrayList<>();
    boolean pauseFails;

    TestPciDevice(PciAddress address, Platform platform, Consumer<TestPciDevice> setup) {
        super("test", address, platform);
        setIds(VENDOR, DEVICE);
        setClass(0xff, 0x00, 0x00, 0x01);
        setup.accept(this);
    }

    TestPciDevice(PciAddress address, Platform platform) {
        this(address, platform, d -> { });
    }

    @Override
    protected void onReset() {
        resets++;
    }

    @Override
    public void pause() {
        if (pauseFails) throw new IllegalStateException(name() + " cannot pause");
        lifecycle.add("pause");
    }

    @Override
    public void resume() {
        lifecycle.add("resume");
    }

    @Override
    public void restored() {
        lifecycle.add("restored");
    }
}
