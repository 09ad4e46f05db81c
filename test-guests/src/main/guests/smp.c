/*
 * smp: the BSP starts the AP with APIC ID 1 through INIT and STARTUP IPIs and
 * the real-mode trampoline in ap_trampoline.S; both CPUs say hello.
 */
#include "rt.h"
#include "smp.h"

#define TICK_VECTOR 0x31

#define STATUS_AP_FAILED 1

static volatile uint32_t ap_done;

static void hello(void)
{
	uint32_t id = lapic_id();
	console_lock();
	print("hello from cpu ");
	print_dec(id);
	print_char('\n');
	console_unlock();
}

void ap_main(void)
{
	idt_load(); /* the BSP built it; a fault here gets reported */
	hello();
	barrier();
	ap_done = 1;
	halt_forever();
}

int main(void)
{
	idt_init();
	lapic_enable();
	smp_setup_trampoline();
	tick_start(TICK_VECTOR);
	int rc = smp_start_ap(&ap_done);
	tick_stop();

	if (rc != 0) {
		console_lock();
		print("ap did not start\n");
		print("ap stage ");
		print_dec(smp_ap_stage());
		print_char('\n');
		console_unlock();
		return STATUS_AP_FAILED;
	}
	hello();
	console_lock();
	print("cpus=2\n");
	console_unlock();
	return STATUS_OK;
}
