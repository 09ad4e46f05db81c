/*
 * The tiny runtime shared by the jbhyve test guests: port and MMIO accessors,
 * console output on port 0x3f8, the exit port 0xf4, LAPIC/IOAPIC helpers and
 * the IDT. See ../../../README.md for the boot contract and the protocol.
 */
#ifndef JBHYVE_GUEST_RT_H
#define JBHYVE_GUEST_RT_H

#include <stdint.h>
#include <stddef.h>

/* ---- the reporting protocol ---- */
#define SERIAL_PORT 0x3f8 /* every byte written here is collected by the host */
#define EXIT_PORT 0xf4    /* one status byte: 0 = success, anything else = failure */

/* Exit statuses used by the runtime itself. */
#define STATUS_OK 0
#define STATUS_EXCEPTION 2

/* ---- port I/O (Linux argument order: value first, then port) ---- */
static inline void outb(uint8_t value, uint16_t port)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t value;
	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
	return value;
}

static inline void outw(uint16_t value, uint16_t port)
{
	__asm__ volatile("outw %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t value;
	__asm__ volatile("inw %1, %0" : "=a"(value) : "Nd"(port) : "memory");
	return value;
}

static inline void outl(uint32_t value, uint16_t port)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t value;
	__asm__ volatile("inl %1, %0" : "=a"(value) : "Nd"(port) : "memory");
	return value;
}

/* ---- MMIO with explicit access widths (never merged or split by the compiler) ---- */
static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
	__asm__ volatile("movb %b1, (%0)" : : "r"(addr), "q"(v) : "memory");
}

static inline void mmio_write16(uintptr_t addr, uint16_t v)
{
	__asm__ volatile("movw %w1, (%0)" : : "r"(addr), "r"(v) : "memory");
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("movl %k1, (%0)" : : "r"(addr), "r"(v) : "memory");
}

static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
	__asm__ volatile("movq %q1, (%0)" : : "r"(addr), "r"(v) : "memory");
}

static inline uint8_t mmio_read8(uintptr_t addr)
{
	uint8_t v;
	__asm__ volatile("movb (%1), %b0" : "=q"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint16_t mmio_read16(uintptr_t addr)
{
	uint16_t v;
	__asm__ volatile("movw (%1), %w0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;
	__asm__ volatile("movl (%1), %k0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
	uint64_t v;
	__asm__ volatile("movq (%1), %q0" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

/* ---- CPU ---- */
static inline void cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void cpu_pause(void)
{
	__asm__ volatile("pause" : : : "memory");
}

static inline void barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

/*
 * Waits for an interrupt with interrupts enabled for exactly as long as the
 * hlt lasts: sti's one-instruction interrupt shadow covers the hlt, so an
 * interrupt that is already pending is taken after the hlt has started (and
 * wakes it) instead of between sti and hlt, where it would be lost to the hlt.
 */
static inline void sti_hlt_cli(void)
{
	__asm__ volatile("sti\n\thlt\n\tcli" : : : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b, uint32_t *c,
			 uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(subleaf));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;
	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

/* Writes the status byte to the exit port, then cli; hlt forever. */
__attribute__((noreturn)) void guest_exit(uint8_t status);

/* cli; hlt forever without reporting anything (used by APs). */
__attribute__((noreturn)) void halt_forever(void);

/* ---- console (port 0x3f8, byte by byte, never waits on the LSR) ---- */
void print_char(char c);
void print(const char *s); /* no newline is added */
void print_hex(uint64_t v); /* lowercase, no 0x prefix, no leading zeros ("0" for zero) */
void print_dec(uint64_t v);
/* Exactly `digits` lowercase hex digits, zero-padded (the low ones if v has more). */
void print_hex_pad(uint64_t v, unsigned digits);

/* A spinlock (lock xchg) for guests whose CPUs print concurrently. */
void console_lock(void);
void console_unlock(void);

/* ---- freestanding libc bits gcc may emit calls to ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

/* ---- local APIC (xAPIC MMIO at 0xfee00000) ---- */
#define LAPIC_BASE 0xfee00000UL
#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_DIV 0x3e0

#define LAPIC_SPURIOUS_VECTOR 0xff
#define LAPIC_ICR_BUSY (1u << 12)
#define LAPIC_LVT_MASKED (1u << 16)

static inline uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(LAPIC_BASE + reg);
}

static inline void lapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(LAPIC_BASE + reg, v);
}

/* Globally enables the LAPIC (APIC base MSR) if needed, software-enables it
 * with spurious vector 0xff and sets TPR to 0. */
void lapic_enable(void);
uint32_t lapic_id(void);
void lapic_eoi(void);
/* Writes ICR high (destination APIC ID) then ICR low; returns 0 once the
 * delivery-status bit reads clear, -1 if it never did within a bounded poll. */
int lapic_send_ipi(uint8_t dest_apic_id, uint32_t icr_lo);
/* Periodic LAPIC timer on `vector`, one tick every ~10 ms on KVM. Used only
 * as a wake-up source for bounded sti;hlt waits. */
#define TICK_MS 10
void tick_start(uint8_t vector);
/* The calling CPU's LAPIC timer, periodic every TICK_MS on `vector` (no handler set). */
void lapic_timer_periodic(uint8_t vector);
void tick_stop(void);
/* Counts ticks; the handler registered by tick_start increments it. */
extern volatile uint64_t ticks;

/* ---- I/O APIC (index at 0xfec00000, data at 0xfec00010) ---- */
#define IOAPIC_BASE 0xfec00000UL
/* Fixed delivery, physical destination, edge-triggered, active high, unmasked. */
void ioapic_route_edge(unsigned pin, uint8_t vector, uint8_t dest_apic_id);
/* The same with a choice of trigger mode and polarity (IOAPIC_* flags, ORed). */
#define IOAPIC_EDGE 0
#define IOAPIC_LEVEL (1u << 15)
#define IOAPIC_ACTIVE_HIGH 0
#define IOAPIC_ACTIVE_LOW (1u << 13)
void ioapic_route(unsigned pin, uint8_t vector, uint8_t dest_apic_id, uint32_t flags);

/* ---- IDT ---- */
struct isr_frame {
	uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

typedef void (*irq_handler_fn)(struct isr_frame *frame);

/* Installs 64-bit interrupt gates (selector 0x08) for exceptions 0..31, all
 * reported as "exception <vector>" followed by exit status 2, and a gate for
 * the LAPIC spurious vector 0xff that does nothing; then loads the IDT. */
void idt_init(void);
/* Loads the already-built IDT on this CPU (for APs). */
void idt_load(void);
/* Installs a present gate for `vector` that calls `fn`. */
void idt_set_handler(uint8_t vector, irq_handler_fn fn);

#endif
