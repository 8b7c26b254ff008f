// SPDX-License-Identifier: GPL-2.0-only
// STUB: see device_hypervisor.hpp. Each method names the ioctl it will make.
#include <bulkhead/zoned/device_hypervisor.hpp>

#include <sys/stat.h>

namespace bh::zoned {

DeviceHypervisor::DeviceHypervisor(std::string device_path) : path_(std::move(device_path)) {}

void DeviceHypervisor::unavailable(const char* call) const {
    struct stat st {};
    bool present = ::stat(path_.c_str(), &st) == 0;
    throw HypervisorError(HvErrc::unavailable,
                          present ? "unavailable: zoned cannot use the " + path_ + " driver yet (" + call +
                                        " is not implemented): run zoned with --fake-hypervisor DIR to try it here"
                                  : "unavailable: " + path_ + " driver not present (" + call +
                                        " needs it): boot the control domain with the Bulkhead driver, or run "
                                        "zoned with --fake-hypervisor DIR to try it on this host");
}

HvHostInfo DeviceHypervisor::host_info() { unavailable("BULKHEAD_IOC_HOST_INFO"); }
ZoneHandle DeviceHypervisor::create_zone(const ZoneConfig&) { unavailable("BULKHEAD_IOC_ZONE_CREATE"); }
void DeviceHypervisor::load_linux(ZoneHandle, const LinuxBoot&) { unavailable("BULKHEAD_IOC_ZONE_LOAD_LINUX"); }
void DeviceHypervisor::start(ZoneHandle) { unavailable("BULKHEAD_IOC_ZONE_START"); }
void DeviceHypervisor::pause(ZoneHandle) { unavailable("BULKHEAD_IOC_ZONE_PAUSE"); }
void DeviceHypervisor::resume(ZoneHandle) { unavailable("BULKHEAD_IOC_ZONE_RESUME"); }
void DeviceHypervisor::stop(ZoneHandle) { unavailable("BULKHEAD_IOC_ZONE_STOP"); }
void DeviceHypervisor::destroy(ZoneHandle) { unavailable("BULKHEAD_IOC_ZONE_DESTROY"); }
HvStatus DeviceHypervisor::status(ZoneHandle) { unavailable("BULKHEAD_IOC_ZONE_STATUS"); }
std::vector<HvZone> DeviceHypervisor::zones() { unavailable("BULKHEAD_IOC_ZONE_LIST"); }
std::vector<ZoneHandle> DeviceHypervisor::read_events() { unavailable("read(/dev/bulkhead)"); }
ZoneChannels DeviceHypervisor::open_channels(ZoneHandle) { unavailable("BULKHEAD_IOC_ZONE_BACKEND_FD"); }

} // namespace bh::zoned
