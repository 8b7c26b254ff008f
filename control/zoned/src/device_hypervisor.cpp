// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/zoned/device_errors.hpp>
#include <bulkhead/zoned/device_hypervisor.hpp>
#include <bulkhead/zoned/linux_layout.hpp>

#include <bulkhead.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bh::zoned {

namespace {

HvState state_from(std::uint32_t s) {
    switch (s) {
    case 0: return HvState::created; // BH_ZONE_CREATED
    case 1: return HvState::running;
    case 2: return HvState::exited;
    case 3: return HvState::crashed;
    case 4: return HvState::stopped;
    case 5: return HvState::creating;
    case 6: return HvState::paused;
    default: return HvState::crashed; // a state this zoned does not know: treat it as ended
    }
}

// The whole of a file a client opened (zoned never opens clients' paths),
// at most `limit` bytes: more could not fit the zone anyway.
std::vector<std::uint8_t> slurp(const BootFile& file, std::uint64_t limit, const std::string& zone) {
    struct stat st {};
    if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw HypervisorError(HvErrc::invalid_argument, "zone '" + zone + "': " + file.path +
                                                            " is not a regular file: give a kernel Image or "
                                                            "initramfs file");
    if (static_cast<std::uint64_t>(st.st_size) > limit)
        throw HypervisorError(HvErrc::invalid_argument, "zone '" + zone + "': " + file.path +
                                                            " is larger than the zone's memory: give it more --memory");
    std::vector<std::uint8_t> data(static_cast<std::size_t>(st.st_size));
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::pread(file.fd, data.data() + done, data.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw HypervisorError(HvErrc::invalid_argument, "zone '" + zone + "': cannot read " + file.path + ": " +
                                                                (n < 0 ? std::strerror(errno) : "it shrank"));
        done += static_cast<std::size_t>(n);
    }
    return data;
}

} // namespace

DeviceHypervisor::DeviceHypervisor(std::string device_path, std::string default_cmdline)
    : path_(std::move(device_path)), default_cmdline_(std::move(default_cmdline)) {
    dev_.reset(::open(path_.c_str(), O_RDWR | O_CLOEXEC));
    if (!dev_ && (errno == ENOENT || errno == ENODEV || errno == ENXIO))
        throw HypervisorError(HvErrc::unavailable,
                              "unavailable: " + path_ +
                                  " driver not present: load it in the control domain (insmod bulkhead.ko), or "
                                  "run zoned with --fake-hypervisor DIR to try it on this host");
    if (!dev_) throw device_error(errno, "", "cannot open " + path_);
    epoll_.reset(::epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_) throw device_error(errno, "", "epoll_create1");
}

DeviceHypervisor::Zone& DeviceHypervisor::adopt(ZoneHandle handle, control::Fd fd, std::string name) {
    // One report per zone: an ended zone's fd stays readable for ever.
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = handle;
    if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd.get(), &ev) != 0)
        throw device_error(errno, name, "cannot watch its end (epoll_ctl)");
    Zone& z = zones_[handle];
    z.fd = std::move(fd);
    z.name = std::move(name);
    return z;
}

DeviceHypervisor::Zone& DeviceHypervisor::zone(ZoneHandle handle) {
    if (auto it = zones_.find(handle); it != zones_.end()) return it->second;
    // A zone an earlier zoned made: re-attach, keeping it kept.
    bulkhead_zone_open op{};
    op.handle = handle;
    op.flags = BULKHEAD_ZONE_KEEP;
    int fd = ::ioctl(dev_.get(), BULKHEAD_ZONE_OPEN, &op);
    if (fd < 0)
        throw device_error(errno, "",
                           "zone handle " + std::to_string(handle) +
                               ": cannot re-open it (ZONE_OPEN): the hypervisor lost it or it was destroyed");
    control::Fd owned(fd);
    bulkhead_zone_info info{};
    std::string name = "#";
    name += std::to_string(handle); // (GCC 12's -Wrestrict misfires on "#" + ...)
    if (::ioctl(fd, BULKHEAD_ZONE_INFO, &info) == 0) name.assign(info.name, ::strnlen(info.name, sizeof info.name));
    return adopt(handle, std::move(owned), std::move(name));
}

void DeviceHypervisor::zone_ioctl(ZoneHandle handle, unsigned long request, void* arg, const char* what) {
    Zone& z = zone(handle);
    if (::ioctl(z.fd.get(), request, arg) != 0) throw device_error(errno, z.name, what);
}

HvHostInfo DeviceHypervisor::host_info() {
    bulkhead_host_info in{};
    if (::ioctl(dev_.get(), BULKHEAD_HOST_INFO, &in) != 0) throw device_error(errno, "", "host information");
    return HvHostInfo{in.cpus, in.free_bytes, in.total_bytes, in.zones};
}

ZoneHandle DeviceHypervisor::create_zone(const ZoneConfig& config) {
    bulkhead_zone_create c{};
    if (config.name.size() >= sizeof c.name)
        throw HypervisorError(HvErrc::invalid_argument, "zone '" + config.name + "': the name is too long");
    std::memcpy(c.name, config.name.data(), config.name.size());
    c.ram_bytes = config.memory;
    c.vcpus = config.vcpus;
    // Zones outlive zoned; RAM where the architecture's Linux zones have it.
    c.flags = BULKHEAD_ZONE_KEEP | BULKHEAD_ZONE_LINUX;
    int fd = ::ioctl(dev_.get(), BULKHEAD_ZONE_CREATE, &c);
    if (fd < 0) throw device_error(errno, config.name, "cannot create it");
    adopt(c.handle, control::Fd(fd), config.name);
    return c.handle;
}

void DeviceHypervisor::load_linux(ZoneHandle handle, const LinuxBoot& boot) {
    Zone& z = zone(handle);
    bulkhead_zone_info info{};
    if (::ioctl(z.fd.get(), BULKHEAD_ZONE_INFO, &info) != 0) throw device_error(errno, z.name, "zone information");
    std::vector<std::uint8_t> image = slurp(boot.kernel, info.ram_bytes, z.name);
    std::vector<std::uint8_t> initrd;
    if (boot.initrd) initrd = slurp(*boot.initrd, info.ram_bytes, z.name);
    LinuxLayout layout;
    std::vector<std::uint8_t> desc;
    try {
        layout = plan_linux_layout(kNativeZoneArch, image, initrd.size(), info.ram_bytes);
        desc = linux_boot_descriptor(layout, image.size(), initrd.size(),
                                     zone_bootargs(boot.cmdline, default_cmdline_, boot.root), boot.argv, boot.env);
    } catch (const std::invalid_argument& e) {
        throw HypervisorError(HvErrc::invalid_argument, "zone '" + z.name + "': " + boot.kernel.path + ": " + e.what());
    }
    auto load = [&](std::uint64_t ipa, const std::vector<std::uint8_t>& data, const std::string& what) {
        bulkhead_zone_load l{ipa, reinterpret_cast<std::uintptr_t>(data.data()), data.size()};
        if (::ioctl(z.fd.get(), BULKHEAD_ZONE_LOAD, &l) != 0) throw device_error(errno, z.name, "loading " + what);
    };
    load(layout.kernel_ipa, image, boot.kernel.path);
    if (!initrd.empty()) load(layout.initrd_ipa, initrd, boot.initrd->path);
    bulkhead_zone_boot_linux bl{reinterpret_cast<std::uintptr_t>(desc.data()), desc.size()};
    if (::ioctl(z.fd.get(), BULKHEAD_ZONE_BOOT_LINUX, &bl) != 0)
        throw device_error(errno, z.name, "the hypervisor refused to boot " + boot.kernel.path + " (ZONE_BOOT_LINUX)");
}

void DeviceHypervisor::serve_disks(ZoneHandle handle, std::uint32_t count) {
    if (count > kMaxDiskSlots)
        throw HypervisorError(HvErrc::invalid_argument, "zone '" + zone(handle).name + "': " + std::to_string(count) +
                                                            " disks, at most " + std::to_string(kMaxDiskSlots) +
                                                            " are served");
    for (std::uint32_t slot = kFirstDiskSlot; slot < kFirstDiskSlot + count; ++slot)
        zone_ioctl(handle, BULKHEAD_ZONE_SERVE, &slot, "serving its disks (ZONE_SERVE)");
}

void DeviceHypervisor::start(ZoneHandle handle) {
    // Served before it runs: its first probe of the console's window must
    // reach the backend, not read all ones.
    std::uint32_t slot = kConsoleSlot;
    zone_ioctl(handle, BULKHEAD_ZONE_SERVE, &slot, "serving its console (ZONE_SERVE)");
    zone_ioctl(handle, BULKHEAD_ZONE_START, nullptr, "cannot start it");
}

void DeviceHypervisor::pause(ZoneHandle handle) { zone_ioctl(handle, BULKHEAD_ZONE_PAUSE, nullptr, "cannot pause it"); }
void DeviceHypervisor::resume(ZoneHandle handle) {
    zone_ioctl(handle, BULKHEAD_ZONE_RESUME, nullptr, "cannot resume it");
}

void DeviceHypervisor::stop(ZoneHandle handle) { zone_ioctl(handle, BULKHEAD_ZONE_STOP, nullptr, "cannot stop it"); }

void DeviceHypervisor::destroy(ZoneHandle handle) {
    HvStatus st = status(handle);
    Zone& z = zone(handle);
    if (st.state == HvState::running || st.state == HvState::paused)
        throw HypervisorError(HvErrc::bad_state, "zone '" + z.name + "' still runs: stop it first");
    std::uint32_t keep = 0;
    if (::ioctl(z.fd.get(), BULKHEAD_ZONE_SET_KEEP, &keep) != 0) throw device_error(errno, z.name, "cannot release it");
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, z.fd.get(), nullptr);
    std::string name = z.name;
    zones_.erase(handle); // the last zone fd: the driver destroys the zone
    for (const HvZone& left : zones())
        if (left.handle == handle)
            // The hypervisor refused (a vCPU still leaving its CPU): the
            // driver kept it listed, and the retry re-opens it.
            throw HypervisorError(HvErrc::busy, "zone '" + name + "' is still being destroyed: try again");
}

HvStatus DeviceHypervisor::status(ZoneHandle handle) {
    bulkhead_zone_status s{};
    zone_ioctl(handle, BULKHEAD_ZONE_STATUS, &s, "status");
    return HvStatus{state_from(s.state), static_cast<control::ExitReason>(s.reason), s.code};
}

std::vector<HvZone> DeviceHypervisor::zones() {
    std::vector<bulkhead_zone_info> infos(16);
    for (;;) {
        bulkhead_zone_list l{};
        l.zones = reinterpret_cast<std::uintptr_t>(infos.data());
        l.count = static_cast<std::uint32_t>(infos.size());
        if (::ioctl(dev_.get(), BULKHEAD_ZONE_LIST, &l) != 0) throw device_error(errno, "", "listing zones");
        if (l.count > infos.size()) { // more than we made room for: again, larger
            infos.resize(l.count + 16);
            continue;
        }
        std::vector<HvZone> out;
        for (std::uint32_t i = 0; i < l.count; ++i)
            out.push_back(
                {infos[i].handle, std::string(infos[i].name, ::strnlen(infos[i].name, sizeof infos[i].name))});
        return out;
    }
}

std::vector<ZoneHandle> DeviceHypervisor::read_events() {
    std::vector<ZoneHandle> out;
    epoll_event ev[16];
    int n = ::epoll_wait(epoll_.get(), ev, 16, 0);
    for (int i = 0; i < n; ++i) out.push_back(ev[i].data.u64);
    return out;
}

ZoneChannels DeviceHypervisor::open_channels(ZoneHandle handle) {
    Zone& z = zone(handle);
    // A zone fd of its own for the backend (the keep flag stays as it is):
    // bound to this zone, so it can map and serve no other.
    bulkhead_zone_open op{};
    op.handle = handle;
    int fd = ::ioctl(dev_.get(), BULKHEAD_ZONE_OPEN, &op);
    if (fd < 0) throw device_error(errno, z.name, "a zone fd for its backend (ZONE_OPEN)");
    ZoneChannels c;
    c.console = control::Fd(fd);
    c.virtio = true;
    return c;
}

} // namespace bh::zoned
