/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bulkhead hypercalls from the control domain (docs/hypercalls.md).
 *
 * arm64: HVC #0 with SMCCC register use. arm_smccc_1_2_hvc() rather than
 * the 1.1 inline form for two reasons: several calls return a result in x4
 * (ZONE_STATUS, HOST_INFO, EVENT_NEXT), and the restarted calls
 * (ZONE_CREATE, ZONE_LOAD) rewrite their argument registers x2..x4 while
 * they run, which the 1.1 macros declare as preserved inputs. The 1.2
 * helper is an out-of-line call that takes every register as clobbered.
 *
 * x86-64: VMMCALL (AMD SVM) or VMCALL (Intel VMX), as CPUID leaf
 * 0x40000001 says (bh_hc_detect); function in RAX, arguments in RDI, RSI,
 * RDX, R10, results in the same registers, all read back (the restarted
 * calls rewrite them too).
 */
#ifndef BULKHEAD_DRV_HYPERCALL_H
#define BULKHEAD_DRV_HYPERCALL_H

#include <linux/errno.h>
#include <linux/types.h>

#include <bulkhead/abi/hypercall.h>

struct bh_hc_res {
	u64 r[4];	/* arm64 x1..x4; x86-64 RDI, RSI, RDX, R10 */
};

#if defined(CONFIG_ARM64)

#include <linux/arm-smccc.h>

static inline int bh_hc_detect(void)
{
	return 0;
}

/* One call with up to four arguments; returns the status (BH_OK or a
 * negative BH_ERR_*), the results in *res if res is not NULL.
 */
static inline long bh_hc(u32 fn, u64 a1, u64 a2, u64 a3, u64 a4,
			 struct bh_hc_res *res)
{
	struct arm_smccc_1_2_regs in = {
		.a0 = fn, .a1 = a1, .a2 = a2, .a3 = a3, .a4 = a4,
	};
	struct arm_smccc_1_2_regs out;

	arm_smccc_1_2_hvc(&in, &out);
	if (res) {
		res->r[0] = out.a1;
		res->r[1] = out.a2;
		res->r[2] = out.a3;
		res->r[3] = out.a4;
	}
	return (long)out.a0;
}

#elif defined(CONFIG_X86_64)

#include <linux/string.h>
#include <asm/processor.h>

/* Set by bh_hc_detect: VMCALL (Intel VMX) rather than VMMCALL (AMD SVM). */
extern bool bh_hc_vmcall;

/* -ENODEV unless CPUID names the Bulkhead hypervisor and its instruction:
 * the other one would raise #UD.
 */
static inline int bh_hc_detect(void)
{
	u32 eax, sig[3];

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		return -ENODEV;
	cpuid(0x40000000, &eax, &sig[0], &sig[1], &sig[2]);
	if (eax < 0x40000001 || memcmp(sig, "BulkheadHV  ", 12))
		return -ENODEV;
	switch (cpuid_eax(0x40000001)) {
	case 1:
		bh_hc_vmcall = false;
		return 0;
	case 2:
		bh_hc_vmcall = true;
		return 0;
	default:
		return -ENODEV;
	}
}

static inline long bh_hc(u32 fn, u64 a1, u64 a2, u64 a3, u64 a4,
			 struct bh_hc_res *res)
{
	register u64 r10 asm("r10") = a4;
	u64 rax = fn, rdi = a1, rsi = a2, rdx = a3;

	if (bh_hc_vmcall)
		asm volatile("vmcall"
			     : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx),
			       "+r"(r10)
			     : : "memory");
	else
		asm volatile("vmmcall"
			     : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx),
			       "+r"(r10)
			     : : "memory");
	if (res) {
		res->r[0] = rdi;
		res->r[1] = rsi;
		res->r[2] = rdx;
		res->r[3] = r10;
	}
	return (long)rax;
}

#else
#error "the Bulkhead driver makes arm64 and x86-64 hypercalls only"
#endif

/* The errno for a status; the table is in the UAPI header. */
static inline int bh_errno(long status)
{
	switch (status) {
	case BH_OK:
		return 0;
	case BH_ERR_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case BH_ERR_INVALID_ARGUMENT:
		return -EINVAL;
	case BH_ERR_PERMISSION_DENIED:
		return -EPERM;
	case BH_ERR_NO_MEMORY:
		return -ENOMEM;
	case BH_ERR_NOT_FOUND:
		return -ENOENT;
	case BH_ERR_BAD_STATE:
		return -EBUSY;
	case BH_ERR_BUSY:
		return -EAGAIN;
	default:
		return -EIO;
	}
}

/* The common shape: a call on one zone, errno result. */
static inline int bh_hc_zone(u32 fn, u64 handle, u64 a2, u64 a3)
{
	return bh_errno(bh_hc(fn, handle, a2, a3, 0, NULL));
}

#endif
