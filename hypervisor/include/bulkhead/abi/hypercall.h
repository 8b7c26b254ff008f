/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bulkhead hypercall ABI, shared by the hypervisor, test guests and the
 * control domain's Linux driver (coming). C-compatible on purpose.
 *
 * arm64: HVC #0 following the SMC Calling Convention. The function ID is in
 * w0 (fast call, SMC64, owner "vendor specific hypervisor service"), the
 * arguments in x1..x6; on return x0 holds a status (0 or a negative BH_ERR_*)
 * and x1..x4 the results. PSCI function IDs go to the zone's virtual PSCI.
 *
 * x86-64: VMMCALL (AMD SVM) or VMCALL (Intel VMX), as CPUID leaf 0x40000001
 * EAX says (1 or 2). The function ID is in RAX, the arguments in RDI, RSI,
 * RDX, R10, R8, R9; on return RAX holds the status and RDI, RSI, RDX, R10
 * the results. See docs/hypercalls.md.
 */
#ifndef BULKHEAD_ABI_HYPERCALL_H
#define BULKHEAD_ABI_HYPERCALL_H

#define BH_HC_BASE 0xC6000000u /* SMCCC: fast, SMC64, owner 6 (hypervisor) */
#define BH_HC_FN(n) (BH_HC_BASE | (n))

/* Calls every zone may make. */
#define BH_HC_VERSION      BH_HC_FN(0x00) /* -> x1 = (major << 16) | minor */
#define BH_HC_ZONE_SELF    BH_HC_FN(0x01) /* -> x1 handle, x2 vcpu index, x3 vcpus, x4 memory bytes */
#define BH_HC_YIELD        BH_HC_FN(0x02)
#define BH_HC_ZONE_EXIT    BH_HC_FN(0x03) /* x1 exit code, x2 what it is (BH_EXIT_CODE_*); does not return */
#define BH_HC_VCPU_ON      BH_HC_FN(0x04) /* x1 vcpu index, x2 entry IPA, x3 argument (x0 / RDI at entry) */

/* Zone management: only zones whose manifest entry is privileged. */
#define BH_HC_ZONE_CREATE  BH_HC_FN(0x10) /* x1 name IPA, x2 name length, x3 memory bytes, x4 vcpus | BH_ZONE_CREATE_* -> x1 handle */
#define BH_HC_ZONE_LOAD    BH_HC_FN(0x11) /* x1 handle, x2 destination IPA, x3 source IPA (caller), x4 length */
#define BH_HC_ZONE_SET_ENTRY BH_HC_FN(0x12) /* x1 handle, x2 vcpu, x3 pc, x4 x0 value */
#define BH_HC_ZONE_START   BH_HC_FN(0x13) /* x1 handle */
#define BH_HC_ZONE_STOP    BH_HC_FN(0x14) /* x1 handle */
#define BH_HC_ZONE_DESTROY BH_HC_FN(0x15) /* x1 handle */
#define BH_HC_ZONE_STATUS  BH_HC_FN(0x16) /* x1 handle -> x1 state, x2 exit reason, x3 exit code, x4 first host frame */
#define BH_HC_HOST_INFO    BH_HC_FN(0x17) /* -> x1 online CPUs, x2 free memory bytes, x3 total memory bytes, x4 zones */

/* The control plane (privileged zones): events, forwarded I/O, a served
 * zone's interrupt lines and memory. See docs/hypercalls.md. */
#define BH_HC_EVENT_NEXT     BH_HC_FN(0x18) /* -> x1 kind (BH_EVENT_*), x2 handle, x3, x4 per kind */
#define BH_HC_IOREQ_SERVE    BH_HC_FN(0x19) /* x1 handle, x2 virtio-mmio slot: the caller serves it */
#define BH_HC_IOREQ_NEXT     BH_HC_FN(0x1a) /* x1 handle, x2 IPA of a 32-byte Xen ioreq_t (caller) -> x1 request id */
#define BH_HC_IOREQ_COMPLETE BH_HC_FN(0x1b) /* x1 handle, x2 request id, x3 value (reads) */
#define BH_HC_ZONE_IRQ       BH_HC_FN(0x1c) /* x1 handle, x2 line of a slot the caller serves: raised (edge) */
#define BH_HC_ZONE_MAP       BH_HC_FN(0x1d) /* x1 handle, x2 IPA in the caller: the zone's RAM mapped there */
#define BH_HC_ZONE_UNMAP     BH_HC_FN(0x1e) /* x1 handle */
#define BH_HC_ZONE_PAUSE     BH_HC_FN(0x1f) /* x1 handle: RUNNING -> PAUSED, its vCPUs off their CPUs */
#define BH_HC_ZONE_RESUME    BH_HC_FN(0x20) /* x1 handle: PAUSED -> RUNNING */
#define BH_HC_ZONE_BOOT_LINUX BH_HC_FN(0x21) /* x1 handle, x2 IPA (caller) of struct bh_linux_boot + strings, x3 its length */

#define BH_HC_COUNT 0x22 /* function numbers are below this */

/* BH_HC_EVENT_NEXT kinds. */
#define BH_EVENT_IOREQ      1 /* x2 zone has I/O requests for the caller (BH_HC_IOREQ_NEXT) */
#define BH_EVENT_ZONE_ENDED 2 /* x2 zone (the caller made it) ended: x3 = state | reason << 8, x4 = code */

/* What BH_HC_ZONE_EXIT's code is (x2), and so the zone's exit reason. */
#define BH_EXIT_CODE_PLAIN  0 /* a code of the zone's own: BH_EXIT_CALL */
#define BH_EXIT_CODE_STATUS 1 /* zone init: the workload's exit status: BH_EXIT_WORKLOAD */
#define BH_EXIT_CODE_SIGNAL 2 /* zone init: the signal that killed the workload: BH_EXIT_WORKLOAD_SIGNAL */

#define BH_VERSION_MAJOR 0
#define BH_VERSION_MINOR 1

/* Statuses in x0. -1 equals SMCCC NOT_SUPPORTED on purpose. */
#define BH_OK                       0
#define BH_ERR_NOT_SUPPORTED       (-1)
#define BH_ERR_INVALID_ARGUMENT    (-2)
#define BH_ERR_PERMISSION_DENIED   (-3)
#define BH_ERR_NO_MEMORY           (-4)
#define BH_ERR_NOT_FOUND           (-5)
#define BH_ERR_BAD_STATE           (-6)
#define BH_ERR_BUSY                (-7)

/* Zone states (BH_HC_ZONE_STATUS x1). */
#define BH_ZONE_CREATED 0 /* built, not yet started */
#define BH_ZONE_RUNNING 1
#define BH_ZONE_EXITED  2 /* ended by its own request */
#define BH_ZONE_CRASHED 3 /* ended by the hypervisor: fault, reset */
#define BH_ZONE_STOPPED 4 /* ended by a manager */
#define BH_ZONE_CREATING 5 /* ZONE_CREATE still allocating and scrubbing its memory */
#define BH_ZONE_PAUSED   6 /* BH_HC_ZONE_PAUSE: none of its vCPUs runs until BH_HC_ZONE_RESUME */

/* Why a zone ended (BH_HC_ZONE_STATUS x2). */
#define BH_EXIT_NONE        0
#define BH_EXIT_CALL        1 /* BH_HC_ZONE_EXIT; x3 = code */
#define BH_EXIT_PSCI_OFF    2 /* PSCI SYSTEM_OFF; x86: ACPI S5 (the sleep control register) */
#define BH_EXIT_PSCI_RESET  3 /* PSCI SYSTEM_RESET; x86: the i8042 reset (0xFE to port 0x64) */
#define BH_EXIT_FAULT       4 /* illegal access under fault-policy "stop"; x3 = IPA */
#define BH_EXIT_STOPPED     5 /* BH_HC_ZONE_STOP */
#define BH_EXIT_VCPUS_OFF   6 /* every vCPU called PSCI CPU_OFF */
#define BH_EXIT_BAD_STATE   7 /* an exit the hypervisor cannot handle; x3 = syndrome */
#define BH_EXIT_WORKLOAD    8 /* zone init reported the workload's exit status (ZONE_EXIT); x3 = status */
#define BH_EXIT_WORKLOAD_SIGNAL 9 /* zone init reported the workload killed by a signal; x3 = signal */
#define BH_EXIT_WATCHDOG    10 /* still running when its manifest watchdog-ms ran out; x3 = ms */

#define BH_ZONE_NAME_MAX 31
#define BH_ZONE_VCPUS_MAX 8

/* BH_HC_ZONE_CREATE's x4: the vCPU count in bits 0-7, flags above (x5 is
 * not used: callers need not clear it). */
#define BH_ZONE_CREATE_VCPUS_MASK 0xffu
/* RAM where the platform's Linux zones have it (ZONE_BOOT_LINUX needs it):
 * arm64 0x40000000, as any zone; x86-64 0, for the memory below 1 MiB
 * Linux's SMP trampoline needs. Without it: 0x40000000. */
#define BH_ZONE_CREATE_LINUX (1u << 8)

#endif
