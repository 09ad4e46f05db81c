/*
 * touch-mb: the touch guest as a Multiboot (v1) kernel, so that QEMU
 * (-kernel) and jbhyve (boot.kernel) run the very same code. 32-bit protected
 * mode without paging: guest-physical addresses below 4 GiB are reachable
 * directly. The platform the touch logic needs: COM1 output, an IDT, the
 * LAPIC (its timer) with the 8259s and LINT0 masked.
 *
 * Arguments come from the Multiboot command line: touch=<MiB> (default
 * TOUCH_DEFAULT_MIB). The amount is clamped to the RAM that mem_upper reports.
 */
#include "rt.h"
#include "touch.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u
#define MBI_FLAGS 0
#define MBI_MEM_UPPER 8
#define MBI_CMDLINE_ADDR 16
#define MBI_MEMORY (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define CMDLINE_MAX 256

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1u << 11)
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

#define STATUS_BAD_MAGIC 1
#define VECTOR_SPURIOUS 0xff

struct gate32 {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t zero;
	uint8_t type_attr;
	uint16_t offset_hi;
} __attribute__((packed));

struct idtr32 {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

extern char touch_mb_stubs[];
static struct gate32 idt[256] __attribute__((aligned(8)));

void touch_mb_main(uint32_t magic, uint32_t info);
void touch_mb_interrupt(uint32_t *frame);

void touch_putc(char c)
{
	outb((uint8_t)c, SERIAL_PORT);
}

static void put_str(const char *s)
{
	while (*s)
		touch_putc(*s++);
}

static void put_hex(uint32_t v)
{
	char buf[8];
	int n = 0;
	do {
		buf[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (n)
		touch_putc(buf[--n]);
}

static void put_dec(uint32_t v)
{
	char buf[10];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		touch_putc(buf[--n]);
}

static __attribute__((noreturn)) void stop(uint8_t status)
{
	outb(status, EXIT_PORT);
	for (;;)
		__asm__ volatile("cli; hlt" : : : "memory");
}

static uint32_t peek32(uint32_t addr)
{
	return *(const volatile uint32_t *)(uintptr_t)addr;
}

static int has_error_code(uint32_t v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

void touch_mb_interrupt(uint32_t *frame)
{
	uint32_t vector = frame[0];
	if (vector == TOUCH_TICK_VECTOR) {
		touch_tick();
	} else if (vector < 32) {
		uint32_t err = has_error_code(vector) ? frame[1] : 0;
		uint32_t eip = has_error_code(vector) ? frame[2] : frame[1];
		uint32_t cr2;
		__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
		put_str("exception ");
		put_dec(vector);
		put_str("\nrip=");
		put_hex(eip);
		put_str(" err=");
		put_hex(err);
		put_str(" cr2=");
		put_hex(cr2);
		touch_putc('\n');
		stop(STATUS_EXCEPTION);
	} else if (vector != VECTOR_SPURIOUS) {
		lapic_write(LAPIC_EOI, 0); /* nothing else is routed here; acknowledge and go on */
	}
}

static void idt_setup(void)
{
	for (int v = 0; v < 256; v++) {
		uint32_t addr = (uint32_t)(uintptr_t)(touch_mb_stubs + v * 16);
		idt[v].offset_lo = (uint16_t)addr;
		idt[v].selector = 0x08;
		idt[v].zero = 0;
		idt[v].type_attr = 0x8e; /* present, DPL 0, 32-bit interrupt gate */
		idt[v].offset_hi = (uint16_t)(addr >> 16);
	}
	struct idtr32 r = {sizeof(idt) - 1, (uint32_t)(uintptr_t)idt};
	__asm__ volatile("lidt %0" : : "m"(r));
}

void touch_mb_main(uint32_t magic, uint32_t info)
{
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		put_str("touch-mb: not loaded by a Multiboot loader (eax=");
		put_hex(magic);
		put_str(")\n");
		stop(STATUS_BAD_MAGIC);
	}
	uint32_t flags = peek32(info + MBI_FLAGS);
	/* mem_upper: KiB of RAM from 1 MiB up to the first hole. */
	uint32_t ram_end_mib = flags & MBI_MEMORY ? 1 + peek32(info + MBI_MEM_UPPER) / 1024 : 0;
	uint32_t mib = 0;
	if (flags & MBI_CMDLINE)
		mib = touch_parse_cmdline((const char *)(uintptr_t)peek32(info + MBI_CMDLINE_ADDR), CMDLINE_MAX);

	outb(0xff, PIC1_DATA); /* both 8259s masked: only the LAPIC timer interrupts */
	outb(0xff, PIC2_DATA);
	idt_setup();
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_write(LAPIC_SVR, 0x100 | VECTOR_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);

	touch_run(mib ? mib : TOUCH_DEFAULT_MIB, ram_end_mib, mib ? "cmdline" : "default");
}
