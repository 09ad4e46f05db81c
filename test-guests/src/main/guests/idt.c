/* The IDT: 64-bit interrupt gates through the stubs in isr.S. */
#include "rt.h"

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define KERNEL_CS 0x08
#define GATE_INTERRUPT64 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define ISR_STUB_SIZE 16

/* 256 stubs, ISR_STUB_SIZE bytes apart (isr.S). */
extern char isr_stubs[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static irq_handler_fn handlers[256];

static void exception_report(struct isr_frame *f)
{
	/* Deliberately without the console lock: this CPU may have faulted holding it. */
	print("exception ");
	print_dec(f->vector);
	print("\nrip=");
	print_hex(f->rip);
	print(" err=");
	print_hex(f->error);
	print(" cr2=");
	print_hex(read_cr2());
	print("\n");
	guest_exit(STATUS_EXCEPTION);
}

static void spurious(struct isr_frame *f)
{
	(void)f; /* no EOI for the spurious vector */
}

/* Called from isr_common with the saved frame. */
void isr_dispatch(struct isr_frame *f)
{
	irq_handler_fn fn = handlers[f->vector & 0xff];
	if (fn)
		fn(f);
	else
		exception_report(f);
}

static void set_gate(uint8_t vector)
{
	uint64_t addr = (uint64_t)(uintptr_t)(isr_stubs + (size_t)vector * ISR_STUB_SIZE);
	struct idt_gate *g = &idt[vector];
	g->offset_lo = (uint16_t)addr;
	g->selector = KERNEL_CS;
	g->ist = 0;
	g->type_attr = GATE_INTERRUPT64;
	g->offset_mid = (uint16_t)(addr >> 16);
	g->offset_hi = (uint32_t)(addr >> 32);
	g->reserved = 0;
}

void idt_load(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(p) : "memory");
}

void idt_init(void)
{
	for (int v = 0; v < 32; v++)
		set_gate((uint8_t)v); /* handlers[v] stays NULL: exception_report */
	idt_set_handler(LAPIC_SPURIOUS_VECTOR, spurious);
	idt_load();
}

void idt_set_handler(uint8_t vector, irq_handler_fn fn)
{
	handlers[vector] = fn;
	set_gate(vector);
}
