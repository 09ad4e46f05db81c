package org.jbhyve.bhyve.devices.fwcfg;

import org.jbhyve.bhyve.device.IoHandler;
import org.jbhyve.bhyve.device.Lifecycle;
import org.jbhyve.bhyve.device.MemoryMap;
import org.jbhyve.bhyve.device.Platform;
import org.jbhyve.bhyve.device.Snapshottable;
import org.jbhyve.bhyve.devices.StateReader;
import org.jbhyve.snapshot.format.SnapshotFormatException;
import org.jbhyve.snapshot.format.StateRecord;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * bhyve's own firmware control protocol, "fwctl" ({@code lpc.fwcfg=bhyve}), which bhyve's UEFI
 * firmware uses to ask how many CPUs there are. Same ports as QEMU's fw_cfg, different protocol:
 *
 * <ol>
 * <li>Identify: a 16-bit write of 0 to port 0x510 (re)starts the handshake from any state and
 *     discards a half-sent request or half-read response; then four byte reads (of either port)
 *     return {@code B H Y V}. Other byte reads return 0xff.</li>
 * <li>Request: 32-bit little-endian writes to port 0x510: the total size in bytes including the
 *     12-byte header, the operation, a transaction id, then the data words. As in bhyve, a request
 *     of N data bytes takes N/4 words, at least one when N &gt; 0; a trailing partial word is not
 *     waited for.</li>
 * <li>Response: 32-bit reads (of either port): the size (16 + data rounded up to 4), the
 *     operation, the transaction id, an errno value (0, ENOENT 2, E2BIG 7), then the data words,
 *     the last one zero-padded. After the last word the device takes the next request.</li>
 * </ol>
 * Operations: GET (3) returns a value as an 8-byte length followed by the bytes; GET_LEN (4)
 * returns just the 8-byte length. Their request data is the name, at most 80 bytes, matched the
 * way bhyve's strncmp does: equal up to a NUL or to the end of what was sent. Any other operation
 * is answered with ENOENT and no data. bhyve serves one name, {@code hw.ncpu} (a 32-bit count).
 *
 * <p>Where bhyve exits on a request size below 12, this logs once and ignores the word; a guest
 * cannot make the VMM exit or allocate: requests and responses are bounded.
 *
 * <p>Snapshots (chunk {@code dev.fwctl}, version 1) hold where the guest is in the protocol:
 * {@code state} ({@code identify}, {@code request} or {@code response}), {@code signature_index}
 * (u8), the request being received ({@code request_words request_data_bytes operation transaction}
 * u32, {@code request_name} bytes) and the response being sent ({@code response} bytes, its
 * little-endian words; {@code response_index} u32). The served values come from the VM config and
 * are rebuilt, not saved; {@code nodes_digest} (bytes, SHA-256 over the names and values) makes a
 * restore into a VM that serves different values fail.
 */
public final class FwCtl implements IoHandler, Lifecycle, Snapshottable {
    public static final int OUT_PORT = MemoryMap.FW_CFG_PORT, IN_PORT = MemoryMap.FW_CFG_PORT + 1;

    static final int OP_GET = 3, OP_GET_LEN = 4;
    static final int ENOENT = 2, E2BIG = 7;
    static final int HEADER_BYTES = 12;
    static final int MAX_NAME_BYTES = 80;
    private static final byte[] SIGNATURE = {'B', 'H', 'Y', 'V'};
    private static final String NAME = "fwctl";

    private enum State { IDENTIFY, REQUEST, RESPONSE }

    private final Platform platform;
    private final Map<String, byte[]> nodes = new LinkedHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private State state = State.IDENTIFY;
    private int signatureIndex;

    // The request being received.
    private int requestWords;          // header and data words received so far
    private long requestDataBytes;     // as the header announced
    private long requestDataWordsDue;
    private int operation, transaction;
    private final ByteArrayOutputStream requestName = new ByteArrayOutputStream();

    // The response being sent.
    private int[] response = new int[0];
    private int responseIndex;

    /** Claims ports 0x510 and 0x511 and serves {@code hw.ncpu = cpus}. */
    public FwCtl(Platform platform, int cpus) {
        this.platform = platform;
        nodes.put("hw.ncpu", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(cpus).array());
        platform.io().register(OUT_PORT, 1, NAME, this);
        platform.io().register(IN_PORT, 1, NAME, this);
    }

    /** Serves another name (bhyve itself has only {@code hw.ncpu}). */
    public synchronized void addNode(String name, byte[] value) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.US_ASCII).length >= MAX_NAME_BYTES) {
            throw new IllegalArgumentException("fwctl name '" + name + "' must be 1 to 79 ASCII bytes");
        }
        if (nodes.containsKey(name)) throw new IllegalArgumentException("fwctl name '" + name + "' exists");
        nodes.put(name, value.clone());
    }

    // ---- guest access (bhyve's handler does not tell the two ports apart; neither does this) ----

    @Override
    public synchronized int in(int port, int size) {
        return switch (size) {
            case 1 -> readSignatureByte();
            case 4 -> readResponseWord();
            default -> 0xffff;
        };
    }

    @Override
    public synchronized void out(int port, int size, int value) {
        if (size == 2) {
            if ((value & 0xffff) == 0) restart();
        } else if (size == 4 && state == State.REQUEST) {
            receiveRequestWord(value);
        }
    }

    private void restart() {
        state = State.IDENTIFY;
        signatureIndex = 0;
        clearRequest();
        response = new int[0];
        responseIndex = 0;
    }

    private int readSignatureByte() {
        if (state != State.IDENTIFY) return 0xff;
        int b = SIGNATURE[signatureIndex++];
        if (signatureIndex == SIGNATURE.length) state = State.REQUEST;
        return b;
    }

    private void receiveRequestWord(int word) {
        switch (requestWords) {
            case 0 -> {
                long size = Integer.toUnsignedLong(word);
                if (size < HEADER_BYTES) {
                    reportOnce("size", "fwctl request size " + size + " is smaller than its 12-byte header; ignored");
                    return;
                }
                requestDataBytes = size - HEADER_BYTES;
                requestDataWordsDue = requestDataBytes == 0 ? 0 : Math.max(1, requestDataBytes / 4);
            }
            case 1 -> operation = word;
            case 2 -> transaction = word;
            default -> {
                // Name bytes beyond the limit are not kept: the request is answered with E2BIG anyway.
                if (requestName.size() < MAX_NAME_BYTES) {
                    requestName.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(word).array());
                }
            }
        }
        requestWords++;
        if (requestWords >= 3 && requestWords - 3 >= requestDataWordsDue) completeRequest();
    }

    private void completeRequest() {
        int error = 0;
        byte[] data = new byte[0];
        if (operation != OP_GET && operation != OP_GET_LEN) {
            error = ENOENT;
        } else if (requestDataBytes > MAX_NAME_BYTES) {
            error = E2BIG;
        } else {
            byte[] value = lookup(requestName.toByteArray());
            if (value == null) {
                error = ENOENT;
            } else {
                // A size_t length (8 bytes on amd64), then for GET the value itself.
                ByteBuffer b = ByteBuffer.allocate(8 + (operation == OP_GET ? value.length : 0))
                        .order(ByteOrder.LITTLE_ENDIAN).putLong(value.length);
                if (operation == OP_GET) b.put(value);
                data = b.array();
            }
        }
        int dataWords = (data.length + 3) / 4;
        ByteBuffer padded = ByteBuffer.allocate(dataWords * 4).order(ByteOrder.LITTLE_ENDIAN).put(data).flip();
        response = new int[4 + dataWords];
        response[0] = 16 + dataWords * 4;
        response[1] = operation;
        response[2] = transaction;
        response[3] = error;
        for (int i = 0; i < dataWords; i++) response[4 + i] = padded.getInt(i * 4);
        responseIndex = 0;
        clearRequest();
        state = State.RESPONSE;
    }

    /** bhyve's strncmp(sent, name, bytesSent) == 0 over the nodes, first match wins. */
    private byte[] lookup(byte[] sent) {
        for (Map.Entry<String, byte[]> e : nodes.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            boolean match = true;
            for (int i = 0; i < sent.length; i++) {
                int a = sent[i] & 0xff, b = i < name.length ? name[i] & 0xff : 0;
                if (a != b) {
                    match = false;
                    break;
                }
                if (a == 0) break;
            }
            if (match) return e.getValue();
        }
        return null;
    }

    private int readResponseWord() {
        if (state != State.RESPONSE) return -1;
        int w = response[responseIndex++];
        if (responseIndex == response.length) {
            state = State.REQUEST;
            response = new int[0];
            responseIndex = 0;
        }
        return w;
    }

    private void clearRequest() {
        requestWords = 0;
        requestDataBytes = 0;
        requestDataWordsDue = 0;
        operation = 0;
        transaction = 0;
        requestName.reset();
    }

    // ---- snapshot ----

    static final int STATE_VERSION = 1;

    @Override
    public String stateName() {
        return "dev." + NAME;
    }

    @Override
    public int stateVersion() {
        return STATE_VERSION;
    }

    @Override
    public synchronized StateRecord saveState() {
        ByteBuffer words = ByteBuffer.allocate(response.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : response) words.putInt(w);
        return StateRecord.builder()
                .putString("state", state.name().toLowerCase(java.util.Locale.ROOT))
                .putU8("signature_index", signatureIndex)
                .putU32("request_words", requestWords)
                .putU32("request_data_bytes", requestDataBytes)
                .putU32("operation", Integer.toUnsignedLong(operation))
                .putU32("transaction", Integer.toUnsignedLong(transaction))
                .putBytes("request_name", requestName.toByteArray())
                .putBytes("response", words.array())
                .putU32("response_index", responseIndex)
                .putBytes("nodes_digest", nodesDigest())
                .build();
    }

    /**
     * Restores the protocol position, after checking it is one the protocol can reach and that this
     * VM serves the same values. A refused record leaves the device as it was.
     */
    @Override
    public void restoreState(StateRecord state, int version) throws SnapshotFormatException {
        StateReader r = StateReader.open(this, state, version);
        State newState = State.valueOf(r.choice("state", "identify", "request", "response").toUpperCase(java.util.Locale.ROOT));
        int sigIndex = newState == State.IDENTIFY ? r.u8In("signature_index", 0, SIGNATURE.length - 1)
                : r.u8In("signature_index", SIGNATURE.length, SIGNATURE.length);
        // A request is only ever in progress while the device takes requests.
        long words = r.u32In("request_words", 0, Integer.MAX_VALUE);
        long dataBytes = r.u32In("request_data_bytes", 0, 0xffff_ffffL - HEADER_BYTES);
        int op = (int) r.u32("operation");
        int txid = (int) r.u32("transaction");
        byte[] name = r.bytesAtMost("request_name", MAX_NAME_BYTES, "the request name buffer");
        long due = dataBytes == 0 ? 0 : Math.max(1, dataBytes / 4);
        if (newState != State.REQUEST && (words != 0 || dataBytes != 0 || op != 0 || txid != 0 || name.length != 0)) {
            throw r.invalid("request_words", "a request is in progress in state " + newState.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (words == 0 && dataBytes != 0) throw r.invalid("request_data_bytes", "set before the size word was received");
        if (words < 2 && op != 0) throw r.invalid("operation", "set before the operation word was received");
        if (words < 3 && txid != 0) throw r.invalid("transaction", "set before the transaction word was received");
        if (words >= 3 && words - 3 >= due) {
            throw r.invalid("request_words", words + " words, but the request was complete after " + (3 + due));
        }
        long expectedName = Math.min(Math.max(0, words - 3) * 4, MAX_NAME_BYTES);
        if (name.length != expectedName) {
            throw r.invalid("request_name", name.length + " bytes, but " + words + " request words leave " + expectedName);
        }
        byte[] resp = r.bytes("response");
        long index = r.u32("response_index");
        int[] newResponse = new int[resp.length / 4];
        ByteBuffer rb = ByteBuffer.wrap(resp).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < newResponse.length; i++) newResponse[i] = rb.getInt();
        byte[] digest = r.bytes("nodes_digest");
        synchronized (this) {
            if (newState == State.RESPONSE) {
                int maxWords = 4 + (8 + longestValue() + 3) / 4;
                if (resp.length % 4 != 0 || newResponse.length < 4 || newResponse.length > maxWords) {
                    throw r.invalid("response", resp.length + " bytes is not a response this device sends (4 to "
                            + maxWords + " little-endian words)");
                }
                if (newResponse[0] != 16 + (newResponse.length - 4) * 4) {
                    throw r.invalid("response", "its size word " + newResponse[0] + " does not match its "
                            + newResponse.length + " words");
                }
                if (index >= newResponse.length) {
                    throw r.invalid("response_index", index + " is past the " + newResponse.length + "-word response");
                }
            } else if (resp.length != 0 || index != 0) {
                throw r.invalid("response", "a response is being sent in state " + newState.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (!MessageDigest.isEqual(digest, nodesDigest())) {
                throw r.invalid("nodes_digest", "the snapshot's fwctl values differ from this VM's "
                        + "(the CPU count changed); restore with the VM's original config");
            }
            this.state = newState;
            signatureIndex = sigIndex;
            requestWords = (int) words;
            requestDataBytes = dataBytes;
            requestDataWordsDue = due;
            operation = op;
            transaction = txid;
            requestName.reset();
            requestName.writeBytes(name);
            response = newResponse;
            responseIndex = (int) index;
        }
    }

    private int longestValue() {
        int max = 0;
        for (byte[] v : nodes.values()) max = Math.max(max, v.length);
        return max;
    }

    /** SHA-256 over every served name and value, in the order they are matched. */
    private byte[] nodesDigest() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (Map.Entry<String, byte[]> e : nodes.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            md.update(ByteBuffer.allocate(8).putInt(name.length).putInt(e.getValue().length).array());
            md.update(name);
            md.update(e.getValue());
        }
        return md.digest();
    }

    // ---- lifecycle ----

    /** Back to waiting for the identify handshake, as after bhyve's init. */
    @Override
    public synchronized void reset() {
        restart();
    }

    private void reportOnce(String key, String message) {
        if (reported.add(key)) platform.log(NAME, message);
    }
}
