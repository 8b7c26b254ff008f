// SPDX-License-Identifier: GPL-2.0-only
// Multiboot2 boot information (Multiboot2 specification 3.6): a list of
// 8-byte aligned tags. Memory comes from the BIOS-style map (type 6) when
// present, else from the EFI memory map (type 17); both are reduced to a
// sorted, merged list of usable ranges.
#include "multiboot.hpp"

#include <bulkhead/log.hpp>

namespace bh::x86_64 {
namespace {

enum : u32 {
    kTagEnd = 0,
    kTagCmdline = 1,
    kTagLoader = 2,
    kTagModule = 3,
    kTagMmap = 6,
    kTagAcpiOld = 14,
    kTagAcpiNew = 15,
    kTagEfiMmap = 17,
};

struct Tag {
    u32 type, size;
};
struct ModuleTag {
    u32 type, size, mod_start, mod_end;
    char cmdline[];
};
struct MmapTag {
    u32 type, size, entry_size, entry_version;
};
struct MmapEntry {
    u64 base, length;
    u32 type, reserved;
};
struct EfiMmapTag {
    u32 type, size, descriptor_size, descriptor_version;
};
struct EfiDescriptor {
    u32 type, pad;
    u64 physical, virt, pages, attribute;
};
static_assert(sizeof(MmapEntry) == 24 && sizeof(EfiDescriptor) == 40, "Multiboot2 and UEFI layouts");

constexpr u32 kE820Usable = 1;
// UEFI memory types free once boot services have exited: loader code and
// data (GRUB's: our image, the boot information and modules are reserved
// separately), boot services code and data, conventional memory.
constexpr bool efi_usable(u32 t) { return t == 1 || t == 2 || t == 3 || t == 4 || t == 7; }

void add_range(BootInfo& b, u64 base, u64 len) {
    u64 start = align_up(base, kPageSize), end = align_down(base + len, kPageSize);
    if (end <= start) return;
    // Insert sorted, merging with neighbours.
    for (unsigned i = 0; i < b.memory_count; ++i) {
        Range<HostPhys>& r = b.memory[i];
        if (start <= r.end().raw() && end >= r.base.raw()) {
            u64 s = start < r.base.raw() ? start : r.base.raw();
            u64 e = end > r.end().raw() ? end : r.end().raw();
            r = {HostPhys(s), e - s};
            // It may now touch the next one.
            while (i + 1 < b.memory_count && b.memory[i + 1].base <= r.end()) {
                u64 ne = b.memory[i + 1].end().raw();
                if (ne > r.end().raw()) r.size = ne - r.base.raw();
                for (unsigned k = i + 1; k + 1 < b.memory_count; ++k) b.memory[k] = b.memory[k + 1];
                --b.memory_count;
            }
            return;
        }
        if (end < r.base.raw()) {
            if (b.memory_count == BootInfo::kMaxMemory) return; // keep the lower ones
            for (unsigned k = b.memory_count; k > i; --k) b.memory[k] = b.memory[k - 1];
            b.memory[i] = {HostPhys(start), end - start};
            ++b.memory_count;
            return;
        }
    }
    if (b.memory_count < BootInfo::kMaxMemory) b.memory[b.memory_count++] = {HostPhys(start), end - start};
}

// A tag whose payload is a NUL-terminated string, cut to fit.
template <usize N>
void copy_string(char (&to)[N], const Tag* t) {
    const char* s = reinterpret_cast<const char*>(t) + 8;
    usize n = 0;
    for (; n + 1 < N && n + 8 < t->size && s[n]; ++n) to[n] = s[n];
    to[n] = '\0';
}

} // namespace

bool cmdline_has(const char* cmdline, const char* word) {
    usize len = __builtin_strlen(word);
    for (const char* p = cmdline; *p;) {
        while (*p == ' ') ++p;
        const char* start = p;
        while (*p && *p != ' ') ++p;
        if (static_cast<usize>(p - start) == len && __builtin_memcmp(start, word, len) == 0) return true;
    }
    return false;
}

bool multiboot_parse(u64 mbi, BootInfo& out) {
    u32 total = *reinterpret_cast<const u32*>(mbi);
    out.mbi = {HostPhys(mbi), total};
    const MmapTag* mmap = nullptr;
    const EfiMmapTag* efi = nullptr;
    bool named_manifest = false;
    for (u64 p = mbi + 8; p + sizeof(Tag) <= mbi + total;) {
        const Tag* t = reinterpret_cast<const Tag*>(p);
        if (t->type == kTagEnd || t->size < sizeof(Tag)) break;
        switch (t->type) {
        case kTagLoader: copy_string(out.loader, t); break;
        case kTagCmdline: copy_string(out.cmdline, t); break;
        case kTagModule: {
            const ModuleTag* m = reinterpret_cast<const ModuleTag*>(p);
            bool named = __builtin_strcmp(m->cmdline, "manifest") == 0;
            if (m->mod_end > m->mod_start && (!out.manifest || (named && !named_manifest))) {
                out.manifest = reinterpret_cast<const void*>(static_cast<u64>(m->mod_start));
                out.manifest_size = m->mod_end - m->mod_start;
                named_manifest = named;
            }
            break;
        }
        case kTagMmap: mmap = reinterpret_cast<const MmapTag*>(p); break;
        case kTagEfiMmap: efi = reinterpret_cast<const EfiMmapTag*>(p); break;
        case kTagAcpiNew: out.rsdp = reinterpret_cast<const void*>(p + 8); break;
        case kTagAcpiOld:
            if (!out.rsdp) out.rsdp = reinterpret_cast<const void*>(p + 8);
            break;
        default: break;
        }
        p += align_up(t->size, 8);
    }
    if (mmap && mmap->entry_size >= sizeof(MmapEntry)) {
        for (u64 e = reinterpret_cast<u64>(mmap) + sizeof(MmapTag);
             e + sizeof(MmapEntry) <= reinterpret_cast<u64>(mmap) + mmap->size; e += mmap->entry_size) {
            const MmapEntry* m = reinterpret_cast<const MmapEntry*>(e);
            if (m->type == kE820Usable) add_range(out, m->base, m->length);
        }
    } else if (efi && efi->descriptor_size >= sizeof(EfiDescriptor)) {
        out.memory_from_efi = true;
        for (u64 e = reinterpret_cast<u64>(efi) + sizeof(EfiMmapTag);
             e + sizeof(EfiDescriptor) <= reinterpret_cast<u64>(efi) + efi->size; e += efi->descriptor_size) {
            const EfiDescriptor* d = reinterpret_cast<const EfiDescriptor*>(e);
            if (efi_usable(d->type)) add_range(out, d->physical, d->pages * kPageSize);
        }
    }
    if (out.memory_count == 0) {
        log("boot: the Multiboot2 information has no memory map");
        return false;
    }
    return true;
}

} // namespace bh::x86_64
