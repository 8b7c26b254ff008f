// SPDX-License-Identifier: GPL-2.0-only
// Fixed-width integers and strongly typed addresses.
//
// Host-physical, guest-physical and hypervisor-virtual addresses are distinct
// types so that passing one where another is expected is a compile error.
#pragma once

#include <compare>
#include <stddef.h>
#include <stdint.h>

namespace bh {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i32 = int32_t;
using i64 = int64_t;
using usize = size_t;

inline constexpr u64 kPageSize = 4096;
inline constexpr u64 kPageShift = 12;

constexpr u64 align_down(u64 v, u64 a) { return v & ~(a - 1); }
constexpr u64 align_up(u64 v, u64 a) { return (v + a - 1) & ~(a - 1); }
constexpr bool is_aligned(u64 v, u64 a) { return (v & (a - 1)) == 0; }

template <class Tag>
class Address {
  public:
    constexpr Address() = default;
    constexpr explicit Address(u64 raw) : raw_(raw) {}
    constexpr u64 raw() const { return raw_; }
    constexpr Address operator+(u64 off) const { return Address(raw_ + off); }
    constexpr Address operator-(u64 off) const { return Address(raw_ - off); }
    constexpr u64 operator-(Address other) const { return raw_ - other.raw_; }
    constexpr Address& operator+=(u64 off) {
        raw_ += off;
        return *this;
    }
    constexpr auto operator<=>(const Address&) const = default;
    constexpr bool aligned(u64 a) const { return is_aligned(raw_, a); }

  private:
    u64 raw_ = 0;
};

struct HostPhysTag {};
struct GuestPhysTag {};
struct VirtTag {};
struct GuestVirtTag {};
using HostPhys = Address<HostPhysTag>;   // what the CPU's bus sees
using GuestPhys = Address<GuestPhysTag>; // what a zone believes is physical (IPA)
using Virt = Address<VirtTag>;           // hypervisor virtual address
using GuestVirt = Address<GuestVirtTag>; // a zone's own virtual (linear) address

// A half-open range [base, base + size).
template <class A>
struct Range {
    A base{};
    u64 size = 0;
    constexpr A end() const { return base + size; }
    constexpr bool contains(A a) const { return a >= base && a - base < size; }
    constexpr bool contains(A a, u64 len) const { return contains(a) && len <= size - (a - base); }
    constexpr bool overlaps(const Range& o) const { return size && o.size && base < o.end() && o.base < end(); }
};

} // namespace bh
