/*
 * touch (64-bit): the touch guest for the 64-bit boot contract. Without a
 * command line it touches TOUCH_DEFAULT_MIB, clamped to the RAM below 4 GiB
 * that bhyve's NVRAM memory-size bytes report (CMOS 0x34/0x35: 64 KiB blocks
 * above 16 MiB).
 */
#include "rt.h"
#include "touch.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define NVRAM_MEM16M_LO 0x34

static uint8_t cmos_read(uint8_t reg)
{
	outb(reg, CMOS_INDEX);
	return inb(CMOS_DATA);
}

void touch_putc(char c)
{
	outb((uint8_t)c, SERIAL_PORT);
}

static void tick(struct isr_frame *frame)
{
	(void)frame;
	touch_tick();
}

int main(void)
{
	idt_init();
	idt_set_handler(TOUCH_TICK_VECTOR, tick);
	lapic_enable();
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED); /* nothing comes through the 8259 */

	uint32_t blocks = cmos_read(NVRAM_MEM16M_LO) | (uint32_t)cmos_read(NVRAM_MEM16M_LO + 1) << 8;
	/* 0 or 0xffff: no such NVRAM (unclaimed ports read as all ones): no clamp. */
	uint32_t ram_end_mib = blocks == 0 || blocks == 0xffff ? 0 : TOUCH_BASE_MIB + blocks / 16;
	touch_run(TOUCH_DEFAULT_MIB, ram_end_mib, "default");
}
