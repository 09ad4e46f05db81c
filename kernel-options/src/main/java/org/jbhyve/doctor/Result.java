package org.jbhyve.doctor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the probe's report.
 *
 * @param check   a short stable identifier, e.g. {@code kvm-device} (used in the text and the JSON output)
 * @param status  what was found
 * @param message one sentence: what was found, on what
 * @param fix     what to do about it; required for {@link Status#WARN} and {@link Status#FAIL}, null otherwise
 * @param data    measured or read values for the JSON output (numbers, strings, booleans, lists), in order
 */
public record Result(String check, Status status, String message, String fix, Map<String, Object> data) {

    public Result {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        if ((status == Status.WARN || status == Status.FAIL) && (fix == null || fix.isBlank())) {
            throw new IllegalArgumentException(status + " result of " + check + " needs a fix: " + message);
        }
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data == null ? Map.of() : data));
    }

    public static Result ok(String check, String message) {
        return new Result(check, Status.OK, message, null, null);
    }

    public static Result warn(String check, String message, String fix) {
        return new Result(check, Status.WARN, message, fix, null);
    }

    public static Result fail(String check, String message, String fix) {
        return new Result(check, Status.FAIL, message, fix, null);
    }

    public static Result skip(String check, String message) {
        return new Result(check, Status.SKIP, message, null, null);
    }

    /** A copy with {@code key = value} added to {@link #data()} (a null value is left out). */
    public Result with(String key, Object value) {
        if (value == null) return this;
        Map<String, Object> d = new LinkedHashMap<>(data);
        d.put(key, value);
        return new Result(check, status, message, fix, d);
    }
}
