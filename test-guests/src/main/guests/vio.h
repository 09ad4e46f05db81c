/*
 * vio: the little a test guest needs to drive a virtio-pci device: finding a
 * function on PCI bus 0 by its IDs (configuration mechanism #1), and the
 * driver's side of a split virtqueue (descriptor table, available ring, used
 * ring) in guest memory below 1 MiB. Used by virtioblk, virtiornd, virtiocon.
 */
#ifndef JBHYVE_GUEST_VIO_H
#define JBHYVE_GUEST_VIO_H

#include "rt.h"

#define VIRTIO_VENDOR 0x1af4

/* device status */
#define VS_ACK 1
#define VS_DRIVER 2
#define VS_DRIVER_OK 4
#define VS_FEATURES_OK 8
#define VS_NEEDS_RESET 64

/* legacy register block (I/O BAR 0), device config at 20 while MSI-X is off */
#define VL_HOST_FEATURES 0x00
#define VL_GUEST_FEATURES 0x04
#define VL_QUEUE_PFN 0x08
#define VL_QUEUE_NUM 0x0c
#define VL_QUEUE_SEL 0x0e
#define VL_QUEUE_NOTIFY 0x10
#define VL_STATUS 0x12
#define VL_ISR 0x13
#define VL_CONFIG 0x14

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

#define TICK_VECTOR 0x31

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring {
	volatile struct vring_desc *desc;
	volatile uint16_t *avail; /* flags, idx, ring[size], used_event */
	volatile uint32_t *used;  /* flags|idx, then {id, len} pairs */
	unsigned size;
	uint16_t next_avail;
	uint16_t last_used;
};

/* PCI configuration mechanism #1 on bus 0, function 0. */
uint32_t pci_read32(unsigned slot, unsigned reg);
void pci_write32(unsigned slot, unsigned reg, uint32_t v);
/* The slot of the first function 0 with these IDs, or -1. */
int pci_find(uint16_t vendor, uint16_t device);

/* Zeroes and lays out a ring of `size` entries at `base` (legacy layout: used ring on the next page). */
void vring_init(struct vring *r, uintptr_t base, unsigned size);
void vring_desc_set(struct vring *r, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next);
/* Makes chain `head` available (the caller notifies the device). */
void vring_offer(struct vring *r, unsigned head);
/* Waits up to `timeout_ticks` LAPIC ticks for the next used entry; returns its id (len in *len) or -1. */
int vring_wait(struct vring *r, uint32_t *len, uint64_t timeout_ticks);

/*
 * Legacy-interface bring-up shared by the virtio guests: finds function 0 with these IDs, checks that
 * BAR0 is an I/O BAR, enables I/O decode and bus mastering, resets the device and sets
 * ACKNOWLEDGE|DRIVER. Returns the I/O base, or VIO_NO_DEVICE / VIO_NOT_IO_BAR.
 */
#define VIO_NO_DEVICE (-1)
#define VIO_NOT_IO_BAR (-2)
int vio_legacy_open(uint16_t vendor, uint16_t device);

/* IDT, LAPIC and the ~10 ms tick every waiting guest needs. */
void vio_runtime_init(void);

#endif
