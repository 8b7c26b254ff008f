// SPDX-License-Identifier: GPL-2.0-only
#include <bulkhead/uart16550.hpp>

namespace bh {
namespace {

// Register offsets; with LCR.DLAB set, 0 and 1 are the divisor latch.
enum : u16 { kData = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };
constexpr u8 kLcrDlab = 0x80;
constexpr u8 kLsrDr = 0x01, kLsrThre = 0x20, kLsrTemt = 0x40; // always ready to transmit
constexpr u8 kIirNoInterrupt = 0x01, kIirThre = 0x02, kIirRxData = 0x04, kIirFifos = 0xc0;
constexpr u8 kIerRx = 0x01, kIerThre = 0x02;
constexpr u8 kMcrOut2 = 0x08, kMcrLoop = 0x10;
constexpr u8 kMsrCts = 0x10, kMsrDsr = 0x20, kMsrDcd = 0x80;

} // namespace

bool Uart16550::interrupt_pending(VirtualUart& io) {
    bool rx = (ier_ & kIerRx) && io.has_received();
    bool thre = (ier_ & kIerThre) && thre_pending_;
    return (rx || thre) && (mcr_ & kMcrOut2);
}

bool Uart16550::input_arrived(VirtualUart& io) {
    LockGuard g(lock_);
    return interrupt_pending(io);
}

bool Uart16550::access(PioAccess& a, VirtualUart& io) {
    LockGuard g(lock_);
    bool dlab = lcr_ & kLcrDlab;
    if (!a.write) {
        u8 v = 0;
        switch (a.port) {
        case kData: {
            char c = 0;
            if (dlab) v = dll_;
            else if (io.take_received(c)) v = static_cast<u8>(c);
            break;
        }
        case kIer: v = dlab ? dlm_ : ier_; break;
        case kIirFcr: {
            // Highest-priority cause first; reading it clears "transmitter empty".
            u8 cause = kIirNoInterrupt;
            if ((ier_ & kIerRx) && io.has_received()) cause = kIirRxData;
            else if ((ier_ & kIerThre) && thre_pending_) {
                cause = kIirThre;
                thre_pending_ = false;
            }
            v = static_cast<u8>(cause | ((fcr_ & 1) ? kIirFifos : 0));
            break;
        }
        case kLcr: v = lcr_; break;
        case kMcr: v = mcr_; break;
        case kLsr: v = static_cast<u8>(kLsrThre | kLsrTemt | (io.has_received() ? kLsrDr : 0)); break;
        // Loopback mode reflects MCR's outputs, as drivers probing the UART expect.
        case kMsr: v = (mcr_ & kMcrLoop) ? static_cast<u8>((mcr_ & 0x0f) << 4) : (kMsrCts | kMsrDsr | kMsrDcd); break;
        case kScr: v = scr_; break;
        default: break;
        }
        a.value = v;
        return a.port == kData && interrupt_pending(io); // more input left: raise again
    }
    u8 v = static_cast<u8>(a.value);
    switch (a.port) {
    case kData:
        if (dlab) dll_ = v;
        else {
            if (!(mcr_ & kMcrLoop)) io.write_byte(static_cast<char>(v));
            thre_pending_ = true; // sent at once: the holding register is empty again
        }
        break;
    case kIer:
        if (dlab) dlm_ = v;
        else {
            if ((v & kIerThre) && !(ier_ & kIerThre)) thre_pending_ = true;
            ier_ = v & 0x0f;
        }
        break;
    case kIirFcr: fcr_ = v & 0xc9; break;
    case kLcr: lcr_ = v; break;
    case kMcr: mcr_ = v & 0x1f; break;
    case kScr: scr_ = v; break;
    default: break; // LSR and MSR are read-only
    }
    return interrupt_pending(io);
}

} // namespace bh
