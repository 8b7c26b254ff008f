// SPDX-License-Identifier: GPL-2.0-only
// The smallest out-of-tree module: control-domain.module builds it against
// the control-domain kernel's kept Kbuild tree and loads it in the control
// domain, as drivers/linux/bulkhead will be.
#include <linux/init.h>
#include <linux/module.h>

static int __init bulkhead_probe_init(void) { return 0; }
static void __exit bulkhead_probe_exit(void) {}

module_init(bulkhead_probe_init);
module_exit(bulkhead_probe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Bulkhead: a module built against the control-domain kernel's Kbuild tree");
