// SPDX-License-Identifier: GPL-2.0-only
// The selftest's zone: reads slot 0's DeviceID (a forwarded read the
// selftest answers), writes it to QueueNotify (a posted write its
// ioeventfd takes), reads MagicValue (a second forwarded read: the zone
// must not end before the posted write was pulled, as its end cancels
// its requests) and exits with the DeviceID answer as its code.
	.text
	.globl _start
_start:
	movz	x1, #0x0a00, lsl #16	// slot 0 at 0x0a000000
	ldr	w2, [x1, #8]		// DeviceID: a forwarded read
	str	w2, [x1, #0x50]		// QueueNotify: a posted write
	ldr	w3, [x1]		// MagicValue: waits, so the write is pulled
	movz	x0, #0xc600, lsl #16
	movk	x0, #0x0003		// BH_HC_ZONE_EXIT
	mov	w1, w2			// code: what the server answered
	mov	x2, #0			// BH_EXIT_CODE_PLAIN
	hvc	#0
1:	b	1b
