package org.jbhyve.doctor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The probe's findings, as text for people or JSON for scripts, and the exit status they imply. */
public record Report(Platform platform, List<Result> results) {

    public Report {
        results = List.copyOf(results);
    }

    /** 0 when nothing failed (warnings allowed), 1 when at least one check failed. */
    public int exitStatus() {
        return count(Status.FAIL) > 0 ? 1 : 0;
    }

    public long count(Status s) {
        return results.stream().filter(r -> r.status() == s).count();
    }

    /** The result of check {@code id}; fails if there is none. */
    public Result result(String id) {
        return results.stream().filter(r -> r.check().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no result for check " + id + " in " + results));
    }

    /**
     * One line per check ({@code STATUS  check  message}); every WARN and FAIL is followed by its fix on the
     * next line ({@code       fix: ...}). A header names the host, a summary line ends the report.
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("bhyve-doctor: can this host run jbhyve? ").append(platform.osName()).append(' ')
                .append(platform.osVersion()).append(' ').append(platform.osArch()).append(", JDK ")
                .append(platform.javaVersion()).append(", user ").append(platform.user()).append('\n');
        int width = results.stream().mapToInt(r -> r.check().length()).max().orElse(0);
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-5s %-" + width + "s  %s%n", r.status(), r.check(), r.message()));
            if (r.fix() != null && (r.status() == Status.WARN || r.status() == Status.FAIL)) {
                sb.append(" ".repeat(6)).append("fix: ").append(r.fix()).append('\n');
            }
        }
        sb.append(String.format(Locale.ROOT, "summary: %d OK, %d WARN, %d FAIL, %d SKIP: %s%n", count(Status.OK),
                count(Status.WARN), count(Status.FAIL), count(Status.SKIP),
                exitStatus() == 0 ? "everything jbhyve needs is here (exit status 0)"
                        : "something jbhyve needs is missing; see the fix lines (exit status 1)"));
        return sb.toString();
    }

    /** The same findings as a JSON object: {@code host}, {@code checks} (in order), {@code summary}, {@code exitStatus}. */
    public String json() {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("os", platform.osName());
        host.put("osVersion", platform.osVersion());
        host.put("arch", platform.osArch());
        host.put("java", platform.javaVersion().toString());
        host.put("javaHome", platform.javaHome());
        host.put("user", platform.user());
        List<Object> checks = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", r.check());
            m.put("status", r.status());
            m.put("message", r.message());
            m.put("fix", r.fix());
            m.put("data", r.data());
            checks.add(m);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<Status, Long> counts = new EnumMap<>(Status.class);
        for (Status s : Status.values()) counts.put(s, count(s));
        counts.forEach((s, n) -> summary.put(s.name().toLowerCase(Locale.ROOT), n));
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("tool", "bhyve-doctor");
        top.put("host", host);
        top.put("checks", checks);
        top.put("summary", summary);
        top.put("exitStatus", exitStatus());
        return Json.write(top);
    }
}
