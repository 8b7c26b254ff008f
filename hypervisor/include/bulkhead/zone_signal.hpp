// SPDX-License-Identifier: GPL-2.0-only
// Telling a managing zone that something needs it: its event interrupt
// (the platform's event line, in its device tree's `bulkhead` node). What
// happened it learns with BH_HC_EVENT_NEXT, which looks at the zones it
// made and serves; the interrupt only says "look".
#pragma once

namespace bh {

class Zone;

// `z` has I/O requests for its server.
void signal_server(Zone& z);
// `z` ended: its creator is to hear it.
void signal_creator(Zone& z);

} // namespace bh
