// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/arch_interface.hpp>
#include <bulkhead/guest_memory.hpp>
#include <bulkhead/linux_boot_call.hpp>
#include <bulkhead/log.hpp>
#include <bulkhead/zone_management.hpp>
#include <bulkhead/zone_table.hpp>

namespace bh {
namespace {

bool range_ok(u64 base, u64 size) {
    u64 limit = arch::kZonePlatform.guest_phys_limit;
    return base < limit && size <= limit - base;
}

// A string (or a list of them) of `len` bytes ending in NUL; absent if 0.
Status take(const u8*& p, u32 len, Blob& out) {
    if (len == 0) return Status::ok;
    if (p[len - 1] != '\0') return Status::invalid_argument;
    out.data = p;
    out.size = len;
    p += len;
    return Status::ok;
}

// Never 0, and different for every boot begun (a stale register left
// from an earlier one does not resume this one).
u64 next_boot_token(const Zone& z) {
    static Atomic<u64> boots{0};
    u64 t = ((boots.fetch_add(1) + 1) << 20) ^ z.handle.raw() ^ arch::now();
    return t ? t : 1;
}

} // namespace

Status decode_linux_boot(const bh_linux_boot& d, GuestPhys at, u64 total, LinuxLoaded& out) {
    LinuxLoaded l;
    if (d.reserved != 0 || d.kernel_size == 0 || !range_ok(d.kernel_ipa, d.kernel_size))
        return Status::invalid_argument;
    if ((d.initrd_size == 0) != (d.initrd_ipa == 0) || !range_ok(d.initrd_ipa, d.initrd_size))
        return Status::invalid_argument;
    u64 strings = u64(d.bootargs_len) + d.command_len + d.args_len + d.env_len + d.cwd_len; // no wrap: 5 x 32 bits
    if (strings > BH_LINUX_BOOT_STRINGS_MAX || total != sizeof(bh_linux_boot) + strings)
        return Status::invalid_argument;
    l.kernel = GuestPhys(d.kernel_ipa);
    l.kernel_size = d.kernel_size;
    l.initrd = GuestPhys(d.initrd_ipa);
    l.initrd_size = d.initrd_size;
    l.bootargs_len = d.bootargs_len;
    l.command_len = d.command_len;
    l.args_len = d.args_len;
    l.env_len = d.env_len;
    l.cwd_len = d.cwd_len;
    l.strings = at + sizeof(bh_linux_boot);
    l.strings_size = strings;
    out = l;
    return Status::ok;
}

Status linux_boot_strings(const u8* buf, const LinuxLoaded& l, LinuxBoot& out) {
    LinuxBoot b;
    const u8* p = buf;
    if (take(p, l.bootargs_len, b.bootargs) != Status::ok || take(p, l.command_len, b.command) != Status::ok ||
        take(p, l.args_len, b.args) != Status::ok || take(p, l.env_len, b.env) != Status::ok ||
        take(p, l.cwd_len, b.cwd) != Status::ok)
        return Status::invalid_argument;
    if (b.command.present() && b.command.size < 2) return Status::invalid_argument; // just the NUL
    if (!b.command.present() && (b.args.present() || b.env.present() || b.cwd.present()))
        return Status::invalid_argument;
    out.bootargs = b.bootargs;
    out.command = b.command;
    out.args = b.args;
    out.env = b.env;
    out.cwd = b.cwd;
    return Status::ok;
}

// Decodes fully, then commits under the zone's lock (it must still be
// CREATED: the caller cannot start it halfway). Everything the arch
// refuses leaves the zone as it was, apart from its vCPU 0 and the device
// tree area, which only a successful call writes.
//
// Long work (x86-64 moving the kernel into place) is a restarted call: the
// vCPU re-executes it with arg 4 = how far it got and arg 5 = the zone's
// token for the boot under way. Callers need not clear those registers: a
// call whose arg 5 is not the token starts afresh, and the token is
// dropped when the call ends either way. A forged token and progress can
// only make the arch redo or skip some of the caller's own zone's copying
// (each step is checked in full and harmless to repeat).
HypercallResult hc_zone_boot_linux(Vcpu& caller, const HypercallArgs& a) {
    ZoneHandle h;
    if (Status s = decode_zone_handle(a, h); s != Status::ok) return hc_result(s);
    GuestPhys at(a.arg[1]);
    u64 total = a.arg[2];
    if (total < sizeof(bh_linux_boot) || total > sizeof(bh_linux_boot) + BH_LINUX_BOOT_STRINGS_MAX ||
        !zone_range_is_ram(*caller.zone, at, total))
        return hc_result(Status::invalid_argument);
    bh_linux_boot d;
    if (Status s = copy_from_guest(*caller.zone, at, &d, sizeof d); s != Status::ok) return hc_result(s);
    LinuxLoaded l;
    if (Status s = decode_linux_boot(d, at, total, l); s != Status::ok) return hc_result(s);

    ZoneTable& t = zones();
    Zone* z;
    ZonePin pin;
    {
        Lock<ZoneTable> g(t);
        z = t.lookup(g.held(), h);
        if (!z) return hc_result(Status::not_found);
        if (z == caller.zone) return hc_result(Status::invalid_argument);
        pin.hold(g.held(), *z);
    }
    Status s;
    bool done = false;
    HypercallArgs again = a;
    {
        Lock<Zone> zl(*z);
        const bool resumed = a.arg[4] != 0 && a.arg[4] == z->linux_boot_token;
        u64 progress = resumed ? a.arg[3] : 0;
        if (z->state.load() != ZoneState::created)
            s = Status::bad_state;
        else if (!zone_range_is_ram(*z, l.kernel, l.kernel_size) ||
                 (l.initrd_size && !zone_range_is_ram(*z, l.initrd, l.initrd_size)))
            s = Status::invalid_argument;
        else
            s = arch::boot_loaded_linux(*z, l, *caller.zone, progress, done);
        if (s == Status::ok && !done) {
            if (!resumed) z->linux_boot_token = next_boot_token(*z);
            again.arg[3] = progress;
            again.arg[4] = z->linux_boot_token;
        } else {
            z->linux_boot_token = 0;
        }
    }
    pin.release();
    if (s == Status::ok && !done) {
        HypercallResult r;
        r.restart = true;
        r.again = again;
        return r;
    }
    return hc_result(s);
}

} // namespace bh
