package org.jbhyve.bhyve.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jbhyve.bhyve.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM name that cannot name a control socket, and more vCPUs than the machine has, stop bhyve with one
 * line and status 4 before any VM exists (they used to end in a stack trace and the JVM's status 1, which
 * is bhyve's "powered off"). No KVM needed.
 */
class VmNameAndCpuLimitTest {
    @TempDir
    Path dir;

    private List<String> bhyve(String... args) {
        List<String> all = new ArrayList<>(List.of("-m", "32M", "-s", "0,hostbridge", "-o", "control.dir=" + dir));
        all.addAll(List.of(args));
        return refusedWithStatus4(all);
    }

    /** Runs bhyve's entry point with {@code args}; it must exit 4; its stderr lines. */
    static List<String> refusedWithStatus4(List<String> all) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(all.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitStatus.ERROR.code());
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aNameThatCannotNameTheControlSocketIsRefused() {
        String rule = "' cannot be used: it names the VM's control socket file, so it must be 1 to 200 bytes (UTF-8)"
                + " without '/' and not '.' or '..'";
        assertThat(bhyve("rv/x")).containsExactly("bhyve: VM name 'rv/x" + rule);
        assertThat(bhyve("..")).containsExactly("bhyve: VM name '.." + rule);
        assertThat(bhyve("a".repeat(201))).containsExactly("bhyve: VM name '" + "a".repeat(40) + "..." + rule);
        assertThat(bhyve("a\tb/")).containsExactly("bhyve: VM name 'a?b/" + rule);
        assertThat(bhyve("é".repeat(101))).containsExactly("bhyve: VM name '" + "é".repeat(40) + "..." + rule);
    }

    @Test
    void moreVcpusThanTheMachineHasAreRefused() {
        assertThat(bhyve("-c", "256", "vm")).containsExactly("bhyve: 256 vCPUs are more than the 255 jbhyve's machine"
                + " has (its APIC IDs are 8 bits, and 0xff is the broadcast ID): give -c at most 255");
        assertThat(bhyve("-c", "sockets=2,cores=200", "vm")).singleElement().asString()
                .startsWith("bhyve: 400 vCPUs are more than the 255");
    }

    /** A size the hypervisor cannot map ended in VmConfig's IllegalArgumentException: "internal error" and a trace. */
    @Test
    void aMemorySizeThatIsNoWholeNumberOfPagesIsRefused() {
        assertThat(bhyve("-m", "33554433B", "vm")).containsExactly("bhyve: memory.size: invalid memory size '33554433B':"
                + " guest memory comes in 4 KiB pages, so give a multiple of 4 KiB (such as 512M)");
        assertThat(bhyve("-m", "32K", "vm")).containsExactly("bhyve: memory.size: invalid memory size '32K': a guest"
                + " needs at least 64 KiB (such as 512M)");
    }

    @Test
    void aDebuggerPortIsRefusedSinceNothingWouldListen() {
        assertThat(bhyve("-G", "1234", "vm")).containsExactly("bhyve: -G (gdb.port): jbhyve has no GDB stub yet, so"
                + " nothing would listen for the debugger; leave -G out");
    }

    @Test
    void aUuidThatIsNotOneStopsBhyve() {
        for (String bad : List.of("not-a-uuid", "1-1-1-1-1", "b88600bb3-efe-4ae5-b42d-b307a5a81376")) {
            assertThat(bhyve("-U", bad, "vm")).containsExactly("bhyve: uuid=" + bad + " is not a UUID (use the form"
                    + " 01234567-89ab-cdef-0123-456789abcdef)");
        }
    }

    @Test
    void aTpmIsRefusedLikeEveryEmulationJbhyveDoesNotHave() {
        assertThat(bhyve("-s", "31,lpc", "-l", "tpm,passthru,/dev/tpm0", "vm")).containsExactly("bhyve: emulation tpm"
                + " (-l tpm,passthru,...) is not supported yet by jbhyve");
    }
}
