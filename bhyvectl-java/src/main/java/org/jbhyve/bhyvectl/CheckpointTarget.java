package org.jbhyve.bhyvectl;

import java.nio.charset.StandardCharsets;

/**
 * Where {@code --checkpoint=PATH} / {@code --suspend=PATH} puts the snapshot, split the way bhyvectl
 * splits it: POSIX {@code dirname(3)} is opened as the directory, POSIX {@code basename(3)} is sent as
 * {@code filename}. {@code snap1} is {@code .} and {@code snap1}; {@code /vms/a/} is {@code /vms} and
 * {@code a}.
 */
record CheckpointTarget(String directory, String fileName) {

    static CheckpointTarget of(String path) {
        return new CheckpointTarget(dirname(path), basename(path));
    }

    /** POSIX basename: the last component, trailing slashes ignored; "/" for "/", "." for "". */
    static String basename(String path) {
        if (path.isEmpty()) return ".";
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') end--;
        if (end == 1 && path.charAt(0) == '/') return "/";
        int start = path.lastIndexOf('/', end - 1) + 1;
        return path.substring(start, end);
    }

    /** POSIX dirname: everything before the last component, trailing slashes removed; "." when none. */
    static String dirname(String path) {
        if (path.isEmpty()) return ".";
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') end--;
        if (end == 1 && path.charAt(0) == '/') return "/";
        int slash = path.lastIndexOf('/', end - 1);
        if (slash < 0) return ".";
        while (slash > 0 && path.charAt(slash - 1) == '/') slash--;
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** Why the file name cannot name a snapshot (the VM would refuse it too), or null. */
    String problem() {
        if (fileName.equals("/") || fileName.equals(".") || fileName.equals("..")) {
            return "'" + fileName + "' is a directory; give the path of the snapshot file to write";
        }
        int bytes = fileName.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > 255) return "the file name is " + bytes + " bytes long, more than 255";
        if (fileName.indexOf('\0') >= 0) return "the file name contains a NUL byte";
        return null;
    }
}
