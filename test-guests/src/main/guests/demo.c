/*
 * demo: the guest of the README's demo, for an ordinary bhyve command line
 * (bhyve -c 1 -m 32M -l com1,stdio -o boot.kernel=.../demo.elf demo).
 *
 * Prints a banner on COM1, then "tick <n>" once a second from a LAPIC timer
 * calibrated against the ACPI PM timer (or the PIT). <n> is demo_state.ticks,
 * a counter at a fixed address (0x110000, see guest.ld and the Makefile) that
 * only the timer interrupt changes, so after a snapshot restore it carries on
 * from where it was. Reads COM1 input by interrupt: 'q', or the line
 * "poweroff", powers the VM off through ACPI; so does the power button (an SCI
 * with PM1_STS.PWRBTN_STS, what bhyve raises on SIGTERM). Idles in sti; hlt.
 */
#include "acpitab.h"
#include "uart.h"

#define TICK_VECTOR 0x30
#define UART_VECTOR 0x34
#define SCI_VECTOR 0x39

/* ACPI fixed hardware, where the FADT says (fallbacks: bhyve's ports). */
#define DEFAULT_PM1A_EVT 0x400
#define DEFAULT_PM1A_CNT 0x404
#define DEFAULT_PM_TMR 0x408
#define DEFAULT_SMI_CMD 0xb2
#define DEFAULT_ACPI_ENABLE 0xa0
#define DEFAULT_SCI 9
#define PM1_PWRBTN 0x0100    /* PM1_STS.PWRBTN_STS, PM1_EN.PWRBTN_EN */
#define PM1_CNT_SCI_EN 0x0001
#define PM1_CNT_S5 0x3400    /* SLP_TYP 5 << 10 | SLP_EN 1 << 13 */
#define PM_TIMER_HZ 3579545u
#define PM_TIMER_MASK 0xffffffu /* 24 bits are always there (TMR_VAL_EXT may give 32) */

#define PIT_HZ 1193182u
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PORT_61 0x61 /* bit 0: channel 2 gate, bit 1: speaker, bit 5: channel 2 output */

#define CALIBRATE_PM_TICKS 178977u /* ~50 ms */
#define CALIBRATE_PIT_COUNT 59659u /* ~50 ms */
#define STUCK_POLLS 1000           /* a timer that does not move in this many reads is absent */
#define CALIBRATE_POLLS 10000000u
#define SCI_EN_POLLS 1000

#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_PERIODIC (1u << 17)

#define RX_RING_SIZE 64 /* a power of two */
#define LINE_MAX 16

#define STATUS_FAILED 1

/*
 * The demo's state at a fixed address (first in .data, which starts at
 * 0x110000): the tick counter, then a magic a test can check it found.
 */
struct demo_state {
	volatile uint64_t ticks; /* +0: incremented by the timer interrupt only */
	char magic[8];           /* +8: "jbhdemo\0" */
};
__attribute__((section(".data.fixed"), used, aligned(16)))
struct demo_state demo_state = { 0, "jbhdemo" };

static struct {
	uint16_t pm1a_evt, pm1a_cnt, pm_tmr, smi_cmd;
	uint8_t acpi_enable;
	uint32_t sci_gsi, sci_flags;
} acpi = {
	DEFAULT_PM1A_EVT, DEFAULT_PM1A_CNT, DEFAULT_PM_TMR, DEFAULT_SMI_CMD, DEFAULT_ACPI_ENABLE,
	DEFAULT_SCI, IOAPIC_LEVEL | IOAPIC_ACTIVE_HIGH,
};
static uint16_t pm1a_en; /* PM1_EN: the second half of the PM1a event block */

static uint64_t printed; /* the tick last printed */
static volatile char rx_ring[RX_RING_SIZE];
static volatile uint32_t rx_head, rx_tail;
static volatile int power_button;

/* ---- output: COM1 as a UART (waits for THR empty) ---- */

static void say(const char *s)
{
	uart_puts_polled(COM1_BASE, s);
}

/* Formats v in decimal, ending at end (exclusive); returns where the digits start. */
static char *fmt_dec(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static void say_dec(uint64_t v)
{
	char buf[21];
	buf[20] = 0;
	say(fmt_dec(buf + 20, v));
}

/* "tick <n>\n" in one go: one LSR read and a few THR writes per second. */
static void say_tick(uint64_t t)
{
	char buf[32];
	buf[30] = '\n';
	buf[31] = 0;
	char *p = fmt_dec(buf + 30, t) - 5;
	memcpy(p, "tick ", 5);
	say(p);
}

static void say_hex(uint64_t v)
{
	char buf[17];
	int n = sizeof(buf) - 1;
	buf[n] = 0;
	do {
		buf[--n] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	say(buf + n);
}

/* 12 CPUID bytes, trailing NULs and spaces dropped, odd bytes as '?'. */
static void say_cpuid_string(uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t w[3] = { a, b, c };
	char s[13];
	int n = 0;
	for (int i = 0; i < 12; i++) {
		char ch = (char)(w[i / 4] >> (8 * (i % 4)));
		s[n++] = ch >= 0x20 && ch < 0x7f ? ch : ch == 0 ? ' ' : '?';
	}
	while (n > 0 && s[n - 1] == ' ')
		n--;
	s[n] = 0;
	say(n ? s : "?");
}

/* ---- ACPI ---- */

static void acpi_discover(void)
{
	uint64_t rsdp = acpi_find_rsdp();
	uint64_t fadt = rsdp ? acpi_find_table(rsdp, "FACP") : 0;
	if (fadt != 0 && peek32(fadt + 4) >= FADT_PM1_EVT_LEN + 1) {
		uint32_t evt = peek32(fadt + FADT_PM1A_EVT_BLK), cnt = peek32(fadt + FADT_PM1A_CNT_BLK);
		uint32_t tmr = peek32(fadt + FADT_PM_TMR_BLK), smi = peek32(fadt + FADT_SMI_CMD);
		if (evt != 0 && evt < 0xfffc)
			acpi.pm1a_evt = (uint16_t)evt;
		if (cnt != 0 && cnt < 0xfffe)
			acpi.pm1a_cnt = (uint16_t)cnt;
		if (tmr != 0 && tmr < 0xfffc)
			acpi.pm_tmr = (uint16_t)tmr;
		acpi.smi_cmd = smi < 0x10000 ? (uint16_t)smi : 0; /* 0: ACPI mode is always on */
		acpi.acpi_enable = peek8(fadt + FADT_ACPI_ENABLE);
		acpi.sci_gsi = peek16(fadt + FADT_SCI_INT);
		uint8_t evt_len = peek8(fadt + FADT_PM1_EVT_LEN);
		pm1a_en = (uint16_t)(acpi.pm1a_evt + (evt_len >= 4 ? evt_len / 2 : 2));
	} else {
		pm1a_en = acpi.pm1a_evt + 2;
	}

	/* An interrupt source override in the MADT may move the SCI or set its trigger/polarity. */
	uint64_t madt = rsdp ? acpi_find_table(rsdp, "APIC") : 0;
	if (madt != 0) {
		uint64_t end = madt + peek32(madt + 4);
		for (uint64_t e = madt + MADT_ENTRIES; e + 2 <= end;) {
			uint8_t len = peek8(e + 1);
			if (len < 2 || len > end - e)
				break;
			if (peek8(e) == MADT_ISO && len >= 10 && peek8(e + 2) == 0 &&
			    peek8(e + 3) == acpi.sci_gsi) {
				uint16_t flags = peek16(e + 8);
				acpi.sci_gsi = peek32(e + 4);
				if ((flags & 3) == 3) /* polarity: 01 high, 11 low, 00 bus default */
					acpi.sci_flags |= IOAPIC_ACTIVE_LOW;
				else if ((flags & 3) == 1)
					acpi.sci_flags &= ~IOAPIC_ACTIVE_LOW;
				if (((flags >> 2) & 3) == 1) /* trigger: 01 edge, 11 level */
					acpi.sci_flags &= ~IOAPIC_LEVEL;
				else if (((flags >> 2) & 3) == 3)
					acpi.sci_flags |= IOAPIC_LEVEL;
			}
			e += len;
		}
	}
	if (acpi.sci_gsi >= 24)
		acpi.sci_gsi = DEFAULT_SCI;
}

/* Enters ACPI mode (SCI_EN) through SMI_CMD unless it is on already. */
static void acpi_enable_mode(void)
{
	if (inw(acpi.pm1a_cnt) & PM1_CNT_SCI_EN)
		return;
	if (acpi.smi_cmd == 0 || acpi.acpi_enable == 0)
		return;
	outb(acpi.acpi_enable, acpi.smi_cmd);
	for (int i = 0; i < SCI_EN_POLLS && !(inw(acpi.pm1a_cnt) & PM1_CNT_SCI_EN); i++)
		cpu_pause();
}

__attribute__((noreturn)) static void power_off(void)
{
	say("powering off\n");
	acpi_enable_mode();
	outw(PM1_CNT_S5, acpi.pm1a_cnt);
	/* Still here: the VMM ignored it. */
	say("poweroff failed\n");
	guest_exit(STATUS_FAILED);
}

/* ---- interrupts ---- */

static void tick_interrupt(struct isr_frame *f)
{
	(void)f;
	demo_state.ticks++;
	lapic_eoi();
}

static void uart_interrupt(struct isr_frame *f)
{
	(void)f;
	for (int i = 0; i < 64; i++) {
		uint8_t iir = inb(COM1_BASE + UART_IIR);
		if (iir & IIR_NO_INT)
			break;
		switch (iir & IIR_ID_MASK) {
		case IIR_RDA:
		case IIR_TIMEOUT:
			while (inb(COM1_BASE + UART_LSR) & LSR_DR) {
				char c = (char)inb(COM1_BASE + UART_RBR);
				if (rx_head - rx_tail < RX_RING_SIZE)
					rx_ring[rx_head++ % RX_RING_SIZE] = c;
			}
			break;
		case IIR_RLS:
			(void)inb(COM1_BASE + UART_LSR);
			break;
		case IIR_MSR:
			(void)inb(COM1_BASE + UART_MSR);
			break;
		default: /* THRE: not enabled */
			break;
		}
	}
	lapic_eoi();
}

/* The SCI (level-triggered): acknowledge every PM1 status bit that is set. */
static void sci_interrupt(struct isr_frame *f)
{
	(void)f;
	uint16_t sts = inw(acpi.pm1a_evt);
	if (sts & PM1_PWRBTN)
		power_button = 1;
	if (sts)
		outw(sts, acpi.pm1a_evt); /* write 1 to clear */
	lapic_eoi();
}

/* ---- the LAPIC timer ---- */

/* LAPIC timer counts (divide by 1) per second, measured against the PM timer; 0 if absent. */
static uint64_t calibrate_pm_timer(void)
{
	uint32_t t0 = inl(acpi.pm_tmr), t = t0, elapsed = 0;
	for (int i = 0; i < STUCK_POLLS && t == t0; i++)
		t = inl(acpi.pm_tmr);
	if (t == t0)
		return 0;
	t0 = t;
	uint32_t c0 = lapic_read(LAPIC_TIMER_CURRENT);
	for (uint32_t i = 0; i < CALIBRATE_POLLS && elapsed < CALIBRATE_PM_TICKS; i++)
		elapsed = (inl(acpi.pm_tmr) - t0) & PM_TIMER_MASK;
	uint32_t c1 = lapic_read(LAPIC_TIMER_CURRENT);
	if (elapsed < CALIBRATE_PM_TICKS)
		return 0;
	return (uint64_t)(c0 - c1) * PM_TIMER_HZ / elapsed;
}

/* The same against PIT channel 2 (mode 0, gated through port 0x61); 0 if absent. */
static uint64_t calibrate_pit(void)
{
	outb((uint8_t)((inb(PORT_61) & ~0x02) | 0x01), PORT_61); /* gate on, speaker off */
	outb(0xb0, PIT_CMD); /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(CALIBRATE_PIT_COUNT & 0xff, PIT_CH2);
	uint32_t c0 = lapic_read(LAPIC_TIMER_CURRENT);
	outb(CALIBRATE_PIT_COUNT >> 8, PIT_CH2); /* counting starts */
	uint32_t i;
	for (i = 0; i < CALIBRATE_POLLS && !(inb(PORT_61) & 0x20); i++)
		cpu_pause();
	uint32_t c1 = lapic_read(LAPIC_TIMER_CURRENT);
	if (i < STUCK_POLLS / 100 || i == CALIBRATE_POLLS)
		return 0; /* output high at once, or never: no PIT */
	return (uint64_t)(c0 - c1) * PIT_HZ / CALIBRATE_PIT_COUNT;
}

/* Starts a 1 Hz periodic LAPIC timer; returns the LAPIC timer's input frequency, or 0. */
static uint64_t start_one_hz_timer(const char **source)
{
	lapic_write(LAPIC_TIMER_DIV, 0xb); /* divide by 1 */
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | TICK_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu); /* free-running one-shot to measure with */
	*source = "pm timer";
	uint64_t hz = calibrate_pm_timer();
	if (hz == 0) {
		*source = "pit";
		hz = calibrate_pit();
	}
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (hz == 0)
		return 0;

	/* Divide by 1, 2, 4, ... 128 until a second's worth of counts fits in 32 bits. */
	static const uint8_t div_code[8] = { 0xb, 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa };
	unsigned shift = 0;
	while (shift < 7 && (hz >> shift) > 0xffffffffu)
		shift++;
	lapic_write(LAPIC_TIMER_DIV, div_code[shift]);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | TICK_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)(hz >> shift));
	return hz;
}

/* ---- main ---- */

static char line[LINE_MAX];
static uint32_t line_len;

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static void input(char c)
{
	if (c == 'q')
		power_off();
	if (c == '\r' || c == '\n') {
		line[line_len < LINE_MAX ? line_len : LINE_MAX - 1] = 0;
		if (line_len < LINE_MAX && streq(line, "poweroff"))
			power_off();
		line_len = 0;
	} else if (line_len < LINE_MAX) {
		line[line_len++] = c;
	}
}

int main(void)
{
	idt_init();
	idt_set_handler(TICK_VECTOR, tick_interrupt);
	idt_set_handler(UART_VECTOR, uart_interrupt);
	idt_set_handler(SCI_VECTOR, sci_interrupt);
	lapic_enable();
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED); /* only the IOAPIC delivers ISA IRQs */
	uart_init(COM1_BASE, 1);

	uint32_t a, b, c, d;
	say("jbhyve demo guest\nrunning on ");
	cpuid(0, 0, &a, &b, &c, &d);
	say_cpuid_string(b, d, c);
	cpuid(1, 0, &a, &b, &c, &d);
	if (c & (1u << 31)) {
		cpuid(0x40000000, 0, &a, &b, &c, &d);
		say(", hypervisor ");
		say_cpuid_string(b, c, d);
	} else {
		say(", no hypervisor");
	}
	say("\n");

	acpi_discover();
	acpi_enable_mode();
	say("acpi pm1a_cnt=");
	say_hex(acpi.pm1a_cnt);
	say(" sci=");
	say_dec(acpi.sci_gsi);
	say(inw(acpi.pm1a_cnt) & PM1_CNT_SCI_EN ? " sci_en=1\n" : " sci_en=0\n");

	const char *source;
	uint64_t hz = start_one_hz_timer(&source);
	if (hz == 0) {
		say("cannot calibrate the lapic timer (no pm timer, no pit)\n");
		return STATUS_FAILED;
	}
	say("lapic timer ");
	say_dec(hz);
	say(" Hz (calibrated against the ");
	say(source);
	say(")\n");

	outw(inw(pm1a_en) | PM1_PWRBTN, pm1a_en); /* power button events raise the SCI */
	ioapic_route(acpi.sci_gsi, SCI_VECTOR, 0, acpi.sci_flags);
	ioapic_route(COM1_IRQ, UART_VECTOR, 0, IOAPIC_EDGE | IOAPIC_ACTIVE_HIGH);
	outb(IER_RDA, COM1_BASE + UART_IER);
	say("type 'q' or press the power button (SIGTERM) to power off\n");

	printed = demo_state.ticks;
	for (;;) {
		sti_hlt_cli();
		while (rx_tail != rx_head)
			input(rx_ring[rx_tail++ % RX_RING_SIZE]);
		if (power_button) {
			say("power button pressed\n");
			power_off();
		}
		uint64_t t = demo_state.ticks;
		if (t != printed) {
			printed = t;
			say_tick(t);
		}
	}
}
