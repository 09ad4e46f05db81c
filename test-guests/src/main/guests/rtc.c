/*
 * rtc: reads the CMOS real-time clock the way an OS does (wait for the end of
 * an update cycle, read until two reads agree, honour register B's data mode
 * and hour format), the memory-size bytes bhyve leaves in NVRAM, and checks
 * that an NVRAM byte can be written and read back.
 */
#include "rt.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

#define RTC_SEC 0x00
#define RTC_MIN 0x02
#define RTC_HOUR 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b

#define REG_A_UIP 0x80   /* update in progress */
#define REG_B_24H 0x02   /* 1: 24-hour format, 0: 12-hour with bit 7 of the hour = PM */
#define REG_B_BINARY 0x04 /* 1: binary, 0: BCD */
#define HOUR_PM 0x80

/* bhyve's NVRAM memory-size bytes, in 64 KiB blocks. */
#define NVRAM_MEM16M_LO 0x34 /* above 16 MiB (below 4 GiB), low byte; 0x35 high */
#define NVRAM_MEM4G_LO 0x5b  /* above 4 GiB: 0x5b, 0x5c, 0x5d, low byte first */
#define NVRAM_TEST 0x40      /* a free NVRAM byte: written, read back, restored */

#define UIP_POLLS 20000 /* ~0.5 s of port I/O on nested KVM; an update takes < 2 ms */
#define READ_ATTEMPTS 5

#define STATUS_FAILED 1

struct rtc_time {
	uint8_t sec, min, hour, day, month, year;
};

static uint8_t cmos_read(uint8_t reg)
{
	outb(reg, CMOS_INDEX);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(reg, CMOS_INDEX);
	outb(v, CMOS_DATA);
}

static int wait_not_updating(void)
{
	for (int i = 0; i < UIP_POLLS; i++)
		if (!(cmos_read(RTC_REG_A) & REG_A_UIP))
			return 0;
	return -1;
}

static void read_time(struct rtc_time *t)
{
	t->sec = cmos_read(RTC_SEC);
	t->min = cmos_read(RTC_MIN);
	t->hour = cmos_read(RTC_HOUR);
	t->day = cmos_read(RTC_DAY);
	t->month = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
}

static int same_time(const struct rtc_time *a, const struct rtc_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour && a->day == b->day &&
	       a->month == b->month && a->year == b->year;
}

static uint8_t from_bcd(uint8_t v)
{
	return (uint8_t)((v >> 4) * 10 + (v & 0xf));
}

static void print2(unsigned v)
{
	print_char((char)('0' + v / 10 % 10));
	print_char((char)('0' + v % 10));
}

static int read_clock(void)
{
	struct rtc_time a, b;
	int stable = 0;
	for (int i = 0; i < READ_ATTEMPTS && !stable; i++) {
		if (wait_not_updating() != 0) {
			print("rtc update never ends\n");
			return -1;
		}
		read_time(&a);
		if (wait_not_updating() != 0) {
			print("rtc update never ends\n");
			return -1;
		}
		read_time(&b);
		stable = same_time(&a, &b);
	}
	if (!stable) {
		print("rtc unstable\n");
		return -1;
	}

	uint8_t regb = cmos_read(RTC_REG_B);
	int pm = !(regb & REG_B_24H) && (a.hour & HOUR_PM);
	a.hour &= (uint8_t)~HOUR_PM;
	if (!(regb & REG_B_BINARY)) {
		a.sec = from_bcd(a.sec);
		a.min = from_bcd(a.min);
		a.hour = from_bcd(a.hour);
		a.day = from_bcd(a.day);
		a.month = from_bcd(a.month);
		a.year = from_bcd(a.year);
	}
	if (!(regb & REG_B_24H)) { /* 12 AM is 0 h, 12 PM is 12 h */
		if (a.hour == 12)
			a.hour = 0;
		if (pm)
			a.hour = (uint8_t)(a.hour + 12);
	}

	print("rtc 20");
	print2(a.year);
	print_char('-');
	print2(a.month);
	print_char('-');
	print2(a.day);
	print_char(' ');
	print2(a.hour);
	print_char(':');
	print2(a.min);
	print_char(':');
	print2(a.sec);
	print_char('\n');

	if (a.year > 99 || a.month < 1 || a.month > 12 || a.day < 1 || a.day > 31 || a.hour > 23 ||
	    a.min > 59 || a.sec > 59) {
		print("rtc invalid date\n");
		return -1;
	}
	return 0;
}

static int check_nvram_rw(void)
{
	static const uint8_t patterns[2] = { 0xa5, 0x5a };
	uint8_t orig = cmos_read(NVRAM_TEST);
	for (int i = 0; i < 2; i++) {
		cmos_write(NVRAM_TEST, patterns[i]);
		uint8_t got = cmos_read(NVRAM_TEST);
		if (got != patterns[i]) {
			cmos_write(NVRAM_TEST, orig);
			print("nvram rw failed wrote ");
			print_hex(patterns[i]);
			print(" read ");
			print_hex(got);
			print_char('\n');
			return -1;
		}
	}
	cmos_write(NVRAM_TEST, orig);
	print("nvram rw ok\n");
	return 0;
}

int main(void)
{
	idt_init(); /* a fault is reported, not a triple fault */

	int failed = read_clock() != 0;

	uint32_t mem16m = cmos_read(NVRAM_MEM16M_LO) | (uint32_t)cmos_read(NVRAM_MEM16M_LO + 1) << 8;
	uint32_t mem4g = cmos_read(NVRAM_MEM4G_LO) | (uint32_t)cmos_read(NVRAM_MEM4G_LO + 1) << 8 |
			 (uint32_t)cmos_read(NVRAM_MEM4G_LO + 2) << 16;
	print("nvram mem16m=");
	print_dec(mem16m);
	print(" mem4g=");
	print_dec(mem4g);
	print_char('\n');

	failed |= check_nvram_rw() != 0;
	return failed ? STATUS_FAILED : STATUS_OK;
}
