// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/device_errors.hpp>

#include <cerrno>
#include <cstring>

namespace bh::zoned {

HvErrc hv_errc_for(int err) {
    switch (err) {
    case EINVAL: return HvErrc::invalid_argument;
    case ENOMEM: return HvErrc::no_memory;
    case ENOENT: return HvErrc::not_found;
    case EBUSY:  // the hypervisor's BAD_STATE
    case EEXIST: // ZONE_CREATE: the name is taken
    case EBADFD: return HvErrc::bad_state;
    case EAGAIN: return HvErrc::busy; // the hypervisor's BUSY: try again
    case EOPNOTSUPP: return HvErrc::not_supported;
    case ENODEV:
    case ENXIO:
    case EPERM:
    case EACCES: return HvErrc::unavailable;
    default: return HvErrc::io;
    }
}

namespace {

const char* advice(int err) {
    switch (err) {
    case ENOMEM: return "free memory by destroying zones, or ask for less --memory";
    case ENOENT: return "the hypervisor no longer knows it: `zonectl destroy` its record";
    case EBUSY: return "it is not in a state that allows this: see `zonectl info`";
    case EEXIST: return "choose another name, or destroy the zone that has it";
    case EAGAIN: return "the hypervisor is busy with it: try again";
    case EPERM:
    case EACCES: return "run zoned as root in the control domain";
    case ENODEV:
    case ENXIO: return "load the Bulkhead driver (insmod bulkhead.ko) in the control domain";
    default: return "see the control domain's kernel log (dmesg)";
    }
}

} // namespace

HypervisorError device_error(int err, const std::string& zone, const std::string& what) {
    std::string who = zone.empty() ? std::string() : "zone '" + zone + "': ";
    return HypervisorError(hv_errc_for(err), who + what + ": " + std::strerror(err) + ": " + advice(err));
}

} // namespace bh::zoned
