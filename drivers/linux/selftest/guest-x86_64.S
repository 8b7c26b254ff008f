// SPDX-License-Identifier: GPL-2.0-only
// The selftest's zone on x86-64 (guest-arm64.S does the same on arm64):
// reads slot 0's DeviceID (a forwarded read the selftest answers), writes
// it to QueueNotify (a posted write its ioeventfd takes), reads
// MagicValue (a second forwarded read: the zone must not end before the
// posted write was pulled, as its end cancels its requests) and exits
// with the DeviceID answer as its code. It starts in 64-bit mode on the
// hypervisor's identity map; the hypercall instruction is VMMCALL or
// VMCALL, as CPUID leaf 0x40000001 EAX says (1: AMD, 2: Intel).
	.text
	.code64
	.globl _start
_start:
	mov	$0xfeb00000, %ebx	// slot 0 (bulkhead/abi/zone_layout.h)
	mov	8(%rbx), %esi		// DeviceID: a forwarded read
	mov	%esi, 0x50(%rbx)	// QueueNotify: a posted write
	mov	(%rbx), %ecx		// MagicValue: waits, so the write is pulled
	mov	%esi, %edi		// code: what the server answered
	mov	$0x40000001, %eax
	cpuid
	mov	%eax, %ecx
	mov	$0xc6000003, %eax	// BH_HC_ZONE_EXIT
	xor	%esi, %esi		// BH_EXIT_CODE_PLAIN
	cmp	$2, %ecx
	je	1f
	vmmcall
	jmp	2f
1:	vmcall
2:	hlt
	jmp	2b
