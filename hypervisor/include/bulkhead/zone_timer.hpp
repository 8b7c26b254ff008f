// SPDX-License-Identifier: GPL-2.0-only
// A deadline a device model of a zone asks for, so that its interrupt comes
// on time even while every vCPU of the zone sleeps (the RTC's match
// interrupt). CPU 0 checks these with the zones' watchdogs and calls the
// model back at or after the deadline, with the zone table locked (so the
// model may take its own lock and raise interrupts, never the table's or a
// zone's). One per zone: a second model asking for one is a bug.
#pragma once

#include <bulkhead/atomic.hpp>
#include <bulkhead/types.hpp>

namespace bh {

class ZoneTimer {
  public:
    // Model::timer_expired(u64 now) is called when the deadline is reached.
    template <class Model>
    void attach(Model& model) {
        model_ = &model;
        expired_ = [](void* m, u64 now) { static_cast<Model*>(m)->timer_expired(now); };
    }
    // Counter time to be called back at (0: never). Publishes the deadline to
    // CPU 0 (zone_lifecycle.cpp).
    void arm(u64 deadline);
    void disarm() { deadline_.store(0); }
    u64 deadline() const { return deadline_.load(); }
    // CPU 0, zone table locked: calls the model if the deadline has passed
    // (disarming first: the model re-arms if it wants more).
    void fire_if_due(u64 now);

  private:
    void* model_ = nullptr;
    void (*expired_)(void*, u64) = nullptr;
    Atomic<u64> deadline_{0};
};

} // namespace bh
