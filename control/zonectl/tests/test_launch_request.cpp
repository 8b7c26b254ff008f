// SPDX-License-Identifier: GPL-2.0-only
// `zonectl launch`'s options as a request: what zonectl refuses itself,
// before zoned is asked anything.
#include <bulkhead/zonectl/exit_codes.hpp>
#include <bulkhead/zonectl/launch_request.hpp>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

using namespace bh::zonectl;

namespace {

LaunchOptions options(const std::string& name) {
    LaunchOptions o;
    o.name = name;
    o.command = {"true"};
    return o;
}

std::string refusal(const LaunchOptions& o) {
    try {
        prepare_launch(o);
    } catch (const CommandError& e) {
        CHECK(e.exit() == Exit::refused);
        return e.what();
    }
    FAIL("prepare_launch accepted it");
    return {};
}

// An empty file in /tmp, removed when the test ends.
class TempFile {
  public:
    explicit TempFile(const char* stem) : path_(std::string("/tmp/") + stem + "-XXXXXX") {
        const int fd = ::mkstemp(path_.data());
        REQUIRE(fd >= 0);
        ::close(fd);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

} // namespace

TEST_CASE("defaults are 1 vCPU, 256M, the shipped kernel and initrd") {
    PreparedLaunch p = prepare_launch(options("web"));
    CHECK(p.request.name == "web");
    CHECK(p.request.vcpus == 1);
    CHECK(p.request.memory == 256ULL << 20);
    CHECK_FALSE(p.request.kernel);
    CHECK_FALSE(p.request.initrd);
    CHECK(p.files.empty());
}

TEST_CASE("sizes are parsed; a size that is not one names the zone") {
    LaunchOptions o = options("web");
    o.memory = "1.5G";
    CHECK(prepare_launch(o).request.memory == 1536ULL << 20);
    o.memory = "lots";
    std::string message = refusal(o);
    CHECK(message.find("zone 'web'") != std::string::npos);
    CHECK(message.find("--memory 'lots' is not a size") != std::string::npos);
}

TEST_CASE("kernel and initrd travel as open files, kernel first") {
    char kernel[] = "/tmp/zonectl-kernel-XXXXXX";
    char initrd[] = "/tmp/zonectl-initrd-XXXXXX";
    int k = ::mkstemp(kernel), i = ::mkstemp(initrd);
    REQUIRE(k >= 0);
    REQUIRE(i >= 0);
    REQUIRE(::write(k, "K", 1) == 1);
    REQUIRE(::write(i, "II", 2) == 2);
    ::close(k);
    ::close(i);
    LaunchOptions o = options("web");
    o.kernel = kernel;
    o.initrd = initrd;
    PreparedLaunch p = prepare_launch(o);
    REQUIRE(p.files.size() == 2);
    CHECK(::lseek(p.files[0].get(), 0, SEEK_END) == 1);
    CHECK(::lseek(p.files[1].get(), 0, SEEK_END) == 2);
    CHECK(*p.request.kernel == kernel);
    o.kernel = std::string("/tmp/../tmp/") + (kernel + 5); // "/tmp/" and its name
    CHECK(*prepare_launch(o).request.kernel == kernel);
    ::unlink(kernel);
    ::unlink(initrd);
}

TEST_CASE("a file that cannot be opened is refused before zoned is asked") {
    LaunchOptions o = options("web");
    o.initrd = "/nonexistent/initramfs.cpio";
    std::string message = refusal(o);
    CHECK(message.find("zone 'web': cannot open --initrd /nonexistent/initramfs.cpio") != std::string::npos);
    CHECK(message.find("nothing was launched") != std::string::npos);
}

TEST_CASE("disks travel as open files after the kernel and initrd, :ro read-only") {
    TempFile rw_file("zonectl-disk-rw"), ro_file("zonectl-disk-ro");
    const std::string &rw = rw_file.path(), &ro = ro_file.path();
    LaunchOptions o = options("web");
    o.disks = {rw, std::string(ro) + ":ro", std::string(ro) + ":rw"};
    PreparedLaunch p = prepare_launch(o);
    REQUIRE(p.files.size() == 3);
    REQUIRE(p.request.disks.size() == 3);
    CHECK((p.request.disks[0].path == rw && !p.request.disks[0].read_only));
    CHECK((p.request.disks[1].path == ro && p.request.disks[1].read_only));
    CHECK((p.request.disks[2].path == ro && !p.request.disks[2].read_only));
    CHECK((::fcntl(p.files[0].get(), F_GETFL) & O_ACCMODE) == O_RDWR);
    CHECK((::fcntl(p.files[1].get(), F_GETFL) & O_ACCMODE) == O_RDONLY);

    // Refused before zoned is asked: a missing file, no file at all, too many.
    o.disks = {"/nonexistent/disk.img"};
    CHECK_THAT(refusal(o), Catch::Contains("zone 'web': cannot open --disk /nonexistent/disk.img for reading and "
                                           "writing") &&
                               Catch::Contains("nothing was launched"));
    o.disks = {":ro"};
    CHECK_THAT(refusal(o), Catch::Contains("names no file"));
    o.disks = std::vector<std::string>(9, std::string(ro) + ":ro");
    CHECK_THAT(refusal(o), Catch::Contains("at most 8"));
}

TEST_CASE("the root disk travels first, whatever the order of the options") {
    TempFile rw_file("zonectl-disk-rw"), root_file("zonectl-root");
    const std::string &rw = rw_file.path(), &root = root_file.path();
    LaunchOptions o = options("web");
    o.disks = {rw};
    o.root = root + ":ro";
    PreparedLaunch p = prepare_launch(o);
    REQUIRE(p.request.disks.size() == 2);
    CHECK((p.request.disks[0].path == root && p.request.disks[0].read_only && p.request.disks[0].root));
    CHECK((p.request.disks[1].path == rw && !p.request.disks[1].read_only && !p.request.disks[1].root));
    CHECK((::fcntl(p.files[0].get(), F_GETFL) & O_ACCMODE) == O_RDONLY);

    o.root = "/nonexistent/root.img";
    CHECK_THAT(refusal(o), Catch::Contains("cannot open --root /nonexistent/root.img for reading and writing") &&
                               Catch::Contains("give --root a disk image you can write, or add :ro"));
    o.root = ":rw";
    CHECK_THAT(refusal(o), Catch::Contains("--root ':rw' names no file: write --root FILE or --root FILE:ro"));
    o.root = root;
    o.disks = std::vector<std::string>(8, rw);
    CHECK_THAT(refusal(o), Catch::Contains("9 disks given, at most 8"));
}
