/*
 * smptick: a guest whose two vCPUs both keep time, for the snapshot tests of
 * an SMP guest. The BSP and, once started, the AP each count the interrupts of
 * their own LAPIC's periodic timer (~10 ms); every PRINT_EVERY BSP ticks the
 * BSP prints "bsp B ap A" (the two counts). The AP stays in KVM's
 * wait-for-SIPI state until COM1 receives 's', so that a snapshot can be taken
 * of either state; then the BSP starts it and prints "ap started". 'q' ends
 * the guest with status 0 (under -l debug-exit).
 *
 * 'h' (once the AP runs) makes the BSP print "bsp halts" and halt for good
 * with interrupts disabled, while the AP goes on: it then prints "ap A" every
 * PRINT_EVERY of its ticks and takes the 'q'. One vCPU halted that way while
 * another runs is not a halted VM (bhyve -H's halt detection).
 *
 * After a restore both counts must go on from where they were: the BSP's shows
 * its vCPU and LAPIC timer came back, the AP's that the second vCPU, its own
 * LAPIC timer and (before 's') its wait-for-SIPI state did.
 */
#include "rt.h"
#include "smp.h"

#define BSP_TICK_VECTOR 0x31
#define AP_TICK_VECTOR 0x32
#define PRINT_EVERY 10 /* BSP ticks, ~100 ms */

/* COM1, polled at every BSP tick (no UART interrupt). */
#define COM1_RBR 0x3f8
#define COM1_LSR 0x3fd
#define LSR_DR 0x01

#define STATUS_AP_FAILED 1

static volatile uint64_t ap_ticks; /* only the AP's timer interrupt changes it */
static volatile uint32_t ap_up;
static volatile uint32_t bsp_halted; /* 'h': the AP reports and reads COM1 from then on */

static void ap_tick(struct isr_frame *frame)
{
	(void)frame;
	ap_ticks++;
	lapic_eoi();
}

void ap_main(void)
{
	idt_load(); /* the BSP built it, AP_TICK_VECTOR included */
	lapic_enable();
	lapic_timer_periodic(AP_TICK_VECTOR);
	ap_up = 1;
	uint64_t printed = 0;
	for (;;) {
		sti_hlt_cli(); /* woken by the AP's tick at the latest */
		if (!bsp_halted)
			continue;
		while (inb(COM1_LSR) & LSR_DR) {
			if ((char)inb(COM1_RBR) == 'q')
				guest_exit(STATUS_OK);
		}
		uint64_t now = ap_ticks;
		if (now - printed >= PRINT_EVERY) {
			printed = now;
			console_lock();
			print("ap ");
			print_dec(now);
			print_char('\n');
			console_unlock();
		}
	}
}

static void say_counts(uint64_t bsp)
{
	console_lock();
	print("bsp ");
	print_dec(bsp);
	print(" ap ");
	print_dec(ap_ticks);
	print_char('\n');
	console_unlock();
}

static void say(const char *s)
{
	console_lock();
	print(s);
	console_unlock();
}

int main(void)
{
	idt_init();
	idt_set_handler(AP_TICK_VECTOR, ap_tick);
	lapic_enable();
	smp_setup_trampoline();
	tick_start(BSP_TICK_VECTOR);
	say("smptick: 2 vCPUs; 's' starts the AP, 'q' quits\n");

	uint64_t printed = 0;
	int started = 0;
	for (;;) {
		sti_hlt_cli(); /* woken by the BSP's tick at the latest */
		while (inb(COM1_LSR) & LSR_DR) {
			char c = (char)inb(COM1_RBR);
			if (c == 's' && !started) {
				if (smp_start_ap(&ap_up) != 0) {
					console_lock();
					print("ap did not start, stage ");
					print_dec(smp_ap_stage());
					print_char('\n');
					console_unlock();
					return STATUS_AP_FAILED;
				}
				started = 1;
				say("ap started\n");
			} else if (c == 'h' && started) {
				say("bsp halts\n");
				bsp_halted = 1;
				for (;;)
					__asm__ volatile("cli; hlt");
			} else if (c == 'q') {
				tick_stop();
				say("bye\n");
				return STATUS_OK;
			}
		}
		uint64_t now = ticks;
		if (now - printed >= PRINT_EVERY) {
			printed = now;
			say_counts(now);
		}
	}
}
