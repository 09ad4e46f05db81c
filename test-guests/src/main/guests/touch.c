/*
 * touch: the RAM toucher of ci/bench-snapshot (see touch.h). This file is
 * built twice, as 64-bit code for the guest `touch` and as 32-bit code for the
 * Multiboot guest `touch-mb`, so it divides 32-bit numbers only.
 */
#include "rt.h"
#include "touch.h"

#define PAGE_SIZE 4096u
#define PAGES_PER_MIB 256u

#define LAPIC_TIMER_DIV_1 0xb
#define LAPIC_TIMER_PERIODIC (1u << 17)

static volatile uint32_t touch_ticks;

static void put_str(const char *s)
{
	while (*s)
		touch_putc(*s++);
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

void touch_tick(void)
{
	touch_ticks++;
	lapic_write(LAPIC_EOI, 0);
}

uint32_t touch_parse_cmdline(const char *cmdline, uint32_t max_length)
{
	static const char key[] = "touch=";
	for (uint32_t i = 0; i < max_length && cmdline[i]; i++) {
		if (i > 0 && cmdline[i - 1] != ' ')
			continue; /* only at the start of a word */
		uint32_t k = 0;
		while (key[k] && i + k < max_length && cmdline[i + k] == key[k])
			k++;
		if (key[k])
			continue;
		uint32_t v = 0, digits = 0;
		for (uint32_t j = i + k; j < max_length && cmdline[j] >= '0' && cmdline[j] <= '9'; j++) {
			if (++digits > 5)
				return 0;
			v = v * 10 + (uint32_t)(cmdline[j] - '0');
		}
		uint32_t end = i + k + digits;
		if (digits == 0 || (end < max_length && cmdline[end] && cmdline[end] != ' '))
			return 0;
		return v >= 1 && v <= TOUCH_MAX_MIB ? v : 0;
	}
	return 0;
}

void touch_run(uint32_t mib, uint32_t ram_end_mib, const char *source)
{
	put_str("touch ");
	put_dec(mib);
	put_str(" MiB from 16 MiB (");
	put_str(source);
	put_str(")\n");
	if (ram_end_mib != 0) {
		uint32_t room = ram_end_mib > TOUCH_BASE_MIB ? ram_end_mib - TOUCH_BASE_MIB : 0;
		if (mib > room) {
			mib = room;
			put_str("clamped to ");
			put_dec(mib);
			put_str(" MiB: RAM ends at ");
			put_dec(ram_end_mib);
			put_str(" MiB\n");
		}
	}

	/* One 32-bit store per page, the page's number from 1: distinct and never 0. */
	uint32_t pages = mib * PAGES_PER_MIB;
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)(TOUCH_BASE_MIB << 20);
	for (uint32_t i = 1; i <= pages; i++) {
		*p = i;
		p += PAGE_SIZE / sizeof(*p);
	}
	put_str("touched ");
	put_dec(mib);
	put_str(" MiB\n");

	lapic_write(LAPIC_TIMER_DIV, LAPIC_TIMER_DIV_1);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_PERIODIC | TOUCH_TICK_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, TOUCH_TICK_NS);

	uint32_t printed = 0;
	for (;;) {
		sti_hlt_cli();
		uint32_t now = touch_ticks;
		if (now != printed) { /* only the latest value if the loop fell behind */
			printed = now;
			put_str("tick ");
			put_dec(now);
			touch_putc('\n');
		}
	}
}
