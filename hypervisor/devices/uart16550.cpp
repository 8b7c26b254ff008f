// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/uart16550.hpp>

namespace bh {
namespace {

// Register offsets; with LCR.DLAB set, 0 and 1 are the divisor latch.
enum : u16 { kData = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };
constexpr u8 kLcrDlab = 0x80;
constexpr u8 kLsrThre = 0x20, kLsrTemt = 0x40; // always ready to transmit
constexpr u8 kIirNoInterrupt = 0x01, kIirFifos = 0xc0;
constexpr u8 kMcrLoop = 0x10;
constexpr u8 kMsrCts = 0x10, kMsrDsr = 0x20, kMsrDcd = 0x80;

} // namespace

void Uart16550::access(PioAccess& a, VirtualUart& out) {
    LockGuard g(lock_);
    bool dlab = lcr_ & kLcrDlab;
    if (!a.write) {
        u8 v = 0;
        switch (a.port) {
        case kData: v = dlab ? dll_ : 0; break; // nothing is ever received
        case kIer: v = dlab ? dlm_ : ier_; break;
        case kIirFcr: v = kIirNoInterrupt | ((fcr_ & 1) ? kIirFifos : 0); break;
        case kLcr: v = lcr_; break;
        case kMcr: v = mcr_; break;
        case kLsr: v = kLsrThre | kLsrTemt; break;
        // Loopback mode reflects MCR's outputs, as drivers probing the UART expect.
        case kMsr: v = (mcr_ & kMcrLoop) ? static_cast<u8>((mcr_ & 0x0f) << 4) : (kMsrCts | kMsrDsr | kMsrDcd); break;
        case kScr: v = scr_; break;
        default: break;
        }
        a.value = v;
        return;
    }
    u8 v = static_cast<u8>(a.value);
    switch (a.port) {
    case kData:
        if (dlab) dll_ = v;
        else if (!(mcr_ & kMcrLoop)) out.write_byte(static_cast<char>(v));
        break;
    case kIer:
        if (dlab) dlm_ = v;
        else ier_ = v & 0x0f;
        break;
    case kIirFcr: fcr_ = v & 0xc9; break;
    case kLcr: lcr_ = v; break;
    case kMcr: mcr_ = v & 0x1f; break;
    case kScr: scr_ = v; break;
    default: break; // LSR and MSR are read-only
    }
}

} // namespace bh
