/*
 * The floor for jbhyve's exit round-trip benchmark: the same guest and the same VM setup as
 * org.jbhyve.bench.ExitRoundTripBenchmark, driven by a bare KVM_RUN loop in C.
 *
 *   exit_loop N [WARMUP] [--sigmask]
 *
 * The guest is real-mode code at GPA 0x1000, "1: out %al, $0x80; jmp 1b": every KVM_RUN returns
 * with one 1-byte OUT to port 0x80, which the loop checks and otherwise ignores (the no-op
 * handler). After WARMUP round trips (default N/10, at least 1000) it times N of them with
 * CLOCK_MONOTONIC and prints one line:
 *
 *   <ns per exit> ns/exit (N=<N>)
 *
 * --sigmask also gives KVM a signal mask (KVM_SET_SIGNAL_MASK) the way vmmapi-java's KvmKick does,
 * so KVM swaps the thread's blocked set on every entry and exit; it measures what that costs.
 *
 * Exit status: 0 ok, 1 a check failed, 2 /dev/kvm unusable, 64 bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define RAM_SIZE      (16UL << 20)
#define CODE_GPA      0x1000UL
#define PORT          0x80
#define TSS_ADDR      0xfeffd000UL
#define IDENTITY_ADDR 0xfeffc000UL

static const unsigned char guest_code[] = {
    0xe6, PORT, /* out %al, $0x80 */
    0xeb, 0xfc, /* jmp back to the out */
};

static void die(const char *what) {
    fprintf(stderr, "exit_loop: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what) {
    int r = ioctl(fd, req, arg);
    if (r < 0) die(what);
    return r;
}

static int open_kvm(void) {
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd >= 0) return fd;
    int e = errno;
    fprintf(stderr, "exit_loop: cannot open /dev/kvm: %s", strerror(e));
    if (e == ENOENT) fprintf(stderr, " (load kvm_intel or kvm_amd; enable VT-x/AMD-V or nested virtualization)");
    if (e == EACCES || e == EPERM) fprintf(stderr, " (add yourself to the kvm group, or run as root)");
    fprintf(stderr, "\n");
    exit(2);
}

/* Gives the vCPU every CPUID leaf KVM supports, as vmmapi-java does (it then adjusts a few). */
static void set_cpuid(int kvm, int vcpu) {
    for (int n = 256; n <= 4096; n *= 2) {
        size_t size = sizeof(struct kvm_cpuid2) + n * sizeof(struct kvm_cpuid_entry2);
        struct kvm_cpuid2 *c = calloc(1, size);
        if (!c) die("calloc");
        c->nent = n;
        if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) == 0) {
            xioctl(vcpu, KVM_SET_CPUID2, c, "KVM_SET_CPUID2");
            free(c);
            return;
        }
        free(c);
        if (errno != E2BIG) die("KVM_GET_SUPPORTED_CPUID");
    }
    die("KVM_GET_SUPPORTED_CPUID");
}

/* What KvmKick does on the vCPU thread: block SIGUSR1, and run the guest with it unblocked. */
static void set_signal_mask(int vcpu) {
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    if (pthread_sigmask(SIG_BLOCK, &block, &old) != 0) die("pthread_sigmask");
    sigdelset(&old, SIGUSR1);
    struct {
        struct kvm_signal_mask m;
        uint64_t set;
    } mask;
    mask.m.len = 8; /* the kernel's sigset_t */
    memcpy(&mask.set, &old, 8);
    xioctl(vcpu, KVM_SET_SIGNAL_MASK, &mask, "KVM_SET_SIGNAL_MASK");
}

static inline void run_once(int vcpu, struct kvm_run *run) {
    if (ioctl(vcpu, KVM_RUN, 0) < 0) die("KVM_RUN");
    if (run->exit_reason != KVM_EXIT_IO || run->io.port != PORT || run->io.direction != KVM_EXIT_IO_OUT
            || run->io.size != 1 || run->io.count != 1) {
        fprintf(stderr, "exit_loop: unexpected exit: reason %u", run->exit_reason);
        if (run->exit_reason == KVM_EXIT_IO)
            fprintf(stderr, " (io port 0x%x dir %u size %u count %u)", run->io.port, run->io.direction,
                    run->io.size, run->io.count);
        fprintf(stderr, "\n");
        exit(1);
    }
}

static long parse_count(const char *s, const char *what) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 1) {
        fprintf(stderr, "exit_loop: %s must be a positive integer, got '%s'\n", what, s);
        exit(64);
    }
    return v;
}

int main(int argc, char **argv) {
    long n = 0, warmup = -1;
    int sigmask = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sigmask") == 0) sigmask = 1;
        else if (n == 0) n = parse_count(argv[i], "N");
        else if (warmup < 0) warmup = parse_count(argv[i], "WARMUP");
        else n = 0, i = argc; /* too many: fall through to usage */
    }
    if (n == 0) {
        fprintf(stderr, "usage: exit_loop N [WARMUP] [--sigmask]\n");
        return 64;
    }
    if (warmup < 0) warmup = n / 10 < 1000 ? 1000 : n / 10;

    int kvm = open_kvm();
    int version = ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION) {
        fprintf(stderr, "exit_loop: /dev/kvm speaks API version %d, need %d\n", version, KVM_API_VERSION);
        return 2;
    }
    int vm = xioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");

    /* The same VM setup as vmmapi-java's KvmVm with the in-kernel irqchip. */
    uint64_t identity = IDENTITY_ADDR;
    xioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &identity, "KVM_SET_IDENTITY_MAP_ADDR");
    if (ioctl(vm, KVM_SET_TSS_ADDR, TSS_ADDR) < 0) die("KVM_SET_TSS_ADDR");
    if (ioctl(vm, KVM_CREATE_IRQCHIP, 0) < 0) die("KVM_CREATE_IRQCHIP");
    struct kvm_pit_config pit = {.flags = KVM_PIT_SPEAKER_DUMMY};
    xioctl(vm, KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2");

    unsigned char *ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                              -1, 0);
    if (ram == MAP_FAILED) die("mmap guest RAM");
    memcpy(ram + CODE_GPA, guest_code, sizeof guest_code);
    struct kvm_userspace_memory_region region = {
        .slot = 0, .flags = 0, .guest_phys_addr = 0, .memory_size = RAM_SIZE, .userspace_addr = (uintptr_t)ram,
    };
    xioctl(vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

    int vcpu = xioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
    int run_size = xioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
    struct kvm_run *run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED) die("mmap kvm_run");
    set_cpuid(kvm, vcpu);
    if (sigmask) set_signal_mask(vcpu);

    /* Real mode, CS selector 0 base 0 (Segment.realMode(0, 0xb)), RIP 0x1000, everything else at reset. */
    struct kvm_sregs sregs;
    xioctl(vcpu, KVM_GET_SREGS, &sregs, "KVM_GET_SREGS");
    sregs.cs = (struct kvm_segment){
        .base = 0, .limit = 0xffff, .selector = 0, .type = 0xb, .present = 1, .dpl = 0, .db = 0, .s = 1, .l = 0,
        .g = 0, .avl = 0, .unusable = 0,
    };
    xioctl(vcpu, KVM_SET_SREGS, &sregs, "KVM_SET_SREGS");
    struct kvm_regs regs = {.rip = CODE_GPA, .rflags = 0x2};
    xioctl(vcpu, KVM_SET_REGS, &regs, "KVM_SET_REGS");

    for (long i = 0; i < warmup; i++) run_once(vcpu, run);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) run_once(vcpu, run);
    clock_gettime(CLOCK_MONOTONIC, &t1);

    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    printf("%.1f ns/exit (N=%ld%s)\n", ns / (double)n, n, sigmask ? ", with KVM_SET_SIGNAL_MASK" : "");
    return 0;
}
