// SPDX-License-Identifier: GPL-2.0-only
// Builds device tree blobs with libfdt's sequential-write API. Within a
// node, properties must come before subnodes (the DT structure rule).
#pragma once

#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include <bulkhead/types.hpp>

extern "C" {
#include <libfdt.h>
}

namespace bh::test {

class FdtBuilder {
  public:
    explicit FdtBuilder(usize capacity = 4096) : buf_(capacity) {
        check(fdt_create(buf_.data(), static_cast<int>(capacity)), "fdt_create");
        check(fdt_finish_reservemap(buf_.data()), "fdt_finish_reservemap");
        node("");
    }

    FdtBuilder& node(const std::string& name) {
        return run("fdt_begin_node", [&](void* fdt) { return fdt_begin_node(fdt, name.c_str()); });
    }
    FdtBuilder& end() {
        return run("fdt_end_node", [](void* fdt) { return fdt_end_node(fdt); });
    }
    FdtBuilder& u32(const char* name, bh::u32 v) {
        return run(name, [&](void* fdt) { return fdt_property_u32(fdt, name, v); });
    }
    FdtBuilder& u64(const char* name, bh::u64 v) {
        return run(name, [&](void* fdt) { return fdt_property_u64(fdt, name, v); });
    }
    FdtBuilder& str(const char* name, const char* v) {
        return run(name, [&](void* fdt) { return fdt_property_string(fdt, name, v); });
    }
    FdtBuilder& flag(const char* name) { return bytes(name, "", 0); } // not NULL: libfdt memcpy()s it
    FdtBuilder& bytes(const char* name, const void* data, usize len) {
        return run(name, [&](void* fdt) { return fdt_property(fdt, name, data, static_cast<int>(len)); });
    }
    FdtBuilder& cells(const char* name, std::initializer_list<bh::u32> values) {
        std::vector<fdt32_t> be;
        for (bh::u32 v : values) be.push_back(cpu_to_fdt32(v));
        return bytes(name, be.data(), be.size() * sizeof(fdt32_t));
    }

    // Closes the root node and returns the blob, exactly totalsize bytes long.
    std::vector<u8> finish() {
        end();
        check(fdt_finish(buf_.data()), "fdt_finish");
        buf_.resize(fdt_totalsize(buf_.data()));
        return std::move(buf_);
    }

  private:
    // Runs one sequential-write step, doubling the buffer while it is too small.
    template <class Op>
    FdtBuilder& run(const char* what, Op op) {
        int rc;
        while ((rc = op(buf_.data())) == -FDT_ERR_NOSPACE) {
            std::vector<u8> bigger(buf_.size() * 2);
            check(fdt_resize(buf_.data(), bigger.data(), static_cast<int>(bigger.size())), "fdt_resize");
            buf_.swap(bigger);
        }
        check(rc, what);
        return *this;
    }
    static void check(int rc, const char* what) {
        if (rc < 0) throw std::runtime_error(std::string("libfdt: ") + what + ": " + fdt_strerror(rc));
    }
    std::vector<u8> buf_;
};

} // namespace bh::test
