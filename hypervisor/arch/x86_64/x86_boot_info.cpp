// SPDX-License-Identifier: GPL-2.0-only
// The command line, memory map, PVH start info and zero page of an x86
// Linux zone (arch/x86_boot_info.hpp).
#include <arch/x86_boot_info.hpp>

#include <bulkhead/log.hpp>

extern "C" {
#include <xen/arch-x86/hvm/start_info.h>
}

namespace bh::x86_64 {

static_assert(sizeof(hvm_start_info) == 56 && __builtin_offsetof(hvm_start_info, memmap_paddr) == 40,
              "Xen's hvm_start_info, version 1");
static_assert(sizeof(hvm_modlist_entry) == 32 && sizeof(hvm_memmap_table_entry) == 24, "Xen's PVH lists");
static_assert(XEN_HVM_MEMMAP_TYPE_RAM == kMemRam && XEN_HVM_MEMMAP_TYPE_RESERVED == kMemReserved,
              "PVH and E820 number memory types alike");

namespace {

constexpr u64 kModlistOffset = 0, kMemmapOffset = 0x100;

// Appends to a bounded buffer; `ok` turns false once something did not fit.
struct Out {
    char* buf;
    usize size;
    usize len = 0;
    bool ok = true;
    void put(char c) {
        if (len + 1 < size)
            buf[len++] = c;
        else
            ok = false;
    }
    void put(const char* s, usize n) {
        for (usize i = 0; i < n; ++i) put(s[i]);
    }
    void put(const char* s) { put(s, __builtin_strlen(s)); }
};

// A NUL-terminated string blob's length without its NUL.
usize str_len(const Blob& b) {
    usize n = 0;
    while (n < b.size && b.data[n]) ++n;
    return n;
}

// One word in double quotes. Zone init splits the command line like a POSIX
// shell, where \" \\ \$ \` are escapes inside double quotes; Linux's own
// parser knows double quotes but no escapes. Words before the "--" must
// reach zone init whole through Linux's parser too, so they may not hold a
// double quote or a backslash; the workload's words after it are Linux's
// init arguments only by name (zone init reads /proc/cmdline) and take
// escapes.
bool quoted(Out& o, const char* prefix, const char* s, usize n, bool escapes, char* why, usize why_size) {
    o.put(' ');
    o.put(prefix);
    o.put('"');
    for (usize i = 0; i < n; ++i) {
        char c = s[i];
        if (c == '"' || c == '\\' || c == '$' || c == '`') {
            if (!escapes && (c == '"' || c == '\\')) {
                format(why, why_size, "%s\"%.*s\": on x86 it may not contain '\"' or '\\'", prefix, static_cast<int>(n),
                       s);
                return false;
            }
            o.put('\\');
        }
        o.put(c);
    }
    o.put('"');
    return true;
}

// Each string of a DT string list (NUL-separated, NUL-terminated).
template <class F>
bool each_string(const Blob& b, F f) {
    usize at = 0;
    while (at < b.size) {
        usize n = 0;
        while (at + n < b.size && b.data[at + n]) ++n;
        if (!f(reinterpret_cast<const char*>(b.data + at), n)) return false;
        at += n + 1;
    }
    return true;
}

void put_le(u8* p, u64 v, unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i) p[i] = static_cast<u8>(v >> (8 * i));
}

} // namespace

u32 x86_memory_map(const X86LinuxLayout& at, Range<GuestPhys> ram, X86MemoryRange (&out)[kMaxMemoryRanges]) {
    out[0] = {0, kLowRamEnd.raw(), kMemRam};
    out[1] = {kLowRamEnd.raw(), kHighRamBase.raw() - kLowRamEnd.raw(), kMemReserved};
    out[2] = {kHighRamBase.raw(), at.ram_end.raw() - kHighRamBase.raw(), kMemRam};
    out[3] = {at.ram_end.raw(), ram.end().raw() - at.ram_end.raw(), kMemReserved};
    return kMaxMemoryRanges;
}

usize x86_linux_cmdline(const LinuxBoot& l, const char* zone_name, u64 tsc_khz, char* buf, usize size, char* why,
                        usize why_size) {
    Out o{buf, size};
    if (l.bootargs.present()) o.put(reinterpret_cast<const char*>(l.bootargs.data), str_len(l.bootargs));
    char word[48];
    format(word, sizeof word, " tsc_early_khz=%llu", static_cast<unsigned long long>(tsc_khz));
    o.put(word);
    if (l.command.present()) {
        o.put(" bulkhead.zone-name=");
        o.put(zone_name);
        if (l.stdin_stream()) o.put(" bulkhead.stdin=stream");
        if (l.cwd.present() && !quoted(o, "bulkhead.cwd=", reinterpret_cast<const char*>(l.cwd.data), str_len(l.cwd),
                                       false, why, why_size))
            return 0;
        if (!each_string(
                l.env, [&](const char* s, usize n) { return quoted(o, "bulkhead.env=", s, n, false, why, why_size); }))
            return 0;
        o.put(" --");
        if (!quoted(o, "", reinterpret_cast<const char*>(l.command.data), str_len(l.command), true, why, why_size))
            return 0;
        if (!each_string(l.args, [&](const char* s, usize n) { return quoted(o, "", s, n, true, why, why_size); }))
            return 0;
    }
    if (!o.ok) {
        format(why, why_size, "the kernel command line with the workload needs more than the kernel's %llu bytes",
               static_cast<unsigned long long>(size));
        return 0;
    }
    buf[o.len] = 0;
    return o.len;
}

void x86_pvh_start_info(const X86LinuxLayout& at, Range<GuestPhys> ram, u64 initrd_size, GuestPhys rsdp, u8* info_page,
                        u8* lists_page) {
    __builtin_memset(info_page, 0, kPageSize);
    __builtin_memset(lists_page, 0, kPageSize);
    X86MemoryRange map[kMaxMemoryRanges];
    u32 n = x86_memory_map(at, ram, map);
    hvm_memmap_table_entry entries[kMaxMemoryRanges] = {};
    for (u32 i = 0; i < n; ++i) entries[i] = {map[i].base, map[i].size, map[i].type, 0};
    __builtin_memcpy(lists_page + kMemmapOffset, entries, n * sizeof entries[0]);
    hvm_start_info si{};
    si.magic = XEN_HVM_START_MAGIC_VALUE;
    si.version = 1;
    si.cmdline_paddr = kCmdline.raw();
    si.rsdp_paddr = rsdp.raw();
    si.memmap_paddr = kBootLists.raw() + kMemmapOffset;
    si.memmap_entries = n;
    if (initrd_size) {
        hvm_modlist_entry m{at.initrd.raw(), initrd_size, 0, 0};
        __builtin_memcpy(lists_page + kModlistOffset, &m, sizeof m);
        si.nr_modules = 1;
        si.modlist_paddr = kBootLists.raw() + kModlistOffset;
    }
    __builtin_memcpy(info_page, &si, sizeof si);
}

void x86_zero_page(const X86LinuxLayout& at, Range<GuestPhys> ram, u64 initrd_size, GuestPhys rsdp, u8* zp) {
    __builtin_memset(zp, 0, bz::kZeroPageBytes);
    const X86Kernel& k = at.kernel;
    __builtin_memcpy(zp + bz::kSetupSects, k.setup_header, k.header_end - bz::kSetupSects);
    zp[bz::kTypeOfLoader] = bz::kLoaderUndefined;
    zp[bz::kLoadflags] |= bz::kLoadedHigh;
    put_le(zp + bz::kCmdLinePtr, kCmdline.raw(), 4);
    put_le(zp + bz::kExtCmdLinePtr, kCmdline.raw() >> 32, 4);
    put_le(zp + bz::kRamdiskImage, initrd_size ? at.initrd.raw() : 0, 4);
    put_le(zp + bz::kExtRamdiskImage, initrd_size ? at.initrd.raw() >> 32 : 0, 4);
    put_le(zp + bz::kRamdiskSize, initrd_size, 4);
    put_le(zp + bz::kExtRamdiskSize, initrd_size >> 32, 4);
    put_le(zp + bz::kAcpiRsdpAddr, rsdp.raw(), 8);
    X86MemoryRange map[kMaxMemoryRanges];
    u32 n = x86_memory_map(at, ram, map);
    zp[bz::kE820Entries] = static_cast<u8>(n);
    for (u32 i = 0; i < n; ++i) {
        u8* e = zp + bz::kE820Table + i * bz::kE820EntryBytes;
        put_le(e, map[i].base, 8);
        put_le(e + 8, map[i].size, 8);
        put_le(e + 16, map[i].type, 4);
    }
}

} // namespace bh::x86_64
